package dev.bbr.artifacts.destination;

import dev.bbr.artifacts.metadata.BackupMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/** A backup to restore from, read-only. Counterpart of {@link BackupDestination}. */
public interface BackupSource {

    /** Parses the metadata; {@code unable to load metadata: …} when it cannot be read or understood. */
    BackupMetadata readMetadata() throws IOException;

    /** Opens an artifact (plain file name) for streaming. */
    InputStream openArtifact(String fileName) throws IOException;

    boolean exists(String fileName);

    /** Artifact size in bytes (the upload progress total). */
    long size(String fileName) throws IOException;

    /** Why the backup is incomplete, if it carries our incomplete marker; empty for finished or Go bbr backups. */
    Optional<String> incompleteReason() throws IOException;

    Path location();

    String describe();
}
