package dev.bbr.core.drain;

import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.metadata.BackupActivity;
import dev.bbr.artifacts.metadata.BackupMetadata;
import java.io.IOException;
import java.time.ZonedDateTime;

/**
 * Keeps the backup's metadata and rewrites it after every change, as bbr does, so that a run that
 * dies part way still names the artifacts that were verified.
 */
public final class MetadataRecorder {
    private final BackupDestination destination;
    private BackupMetadata metadata;

    public MetadataRecorder(BackupDestination destination, ZonedDateTime start) throws IOException {
        this.destination = destination;
        this.metadata = BackupMetadata.started(BackupActivity.startedAt(start));
        destination.writeMetadata(metadata);
    }

    public synchronized void addInstanceArtifact(String group, String index, ArtifactChecksums artifact)
            throws IOException {
        metadata = metadata.withInstanceArtifact(group, index, artifact);
        destination.writeMetadata(metadata);
    }

    public synchronized void addCustomArtifact(ArtifactChecksums artifact) throws IOException {
        metadata = metadata.withCustomArtifact(artifact);
        destination.writeMetadata(metadata);
    }

    public synchronized void finish(ZonedDateTime finish) throws IOException {
        BackupActivity activity = metadata.backupActivity().orElseThrow().finishedAt(finish);
        metadata = metadata.withBackupActivity(activity);
        destination.writeMetadata(metadata);
    }
}
