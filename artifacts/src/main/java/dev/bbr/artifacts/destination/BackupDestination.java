package dev.bbr.artifacts.destination;

import dev.bbr.artifacts.metadata.BackupMetadata;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where one backup run puts its files. The local directory is the only implementation today; the seam
 * is kept to these few calls so encryption, compression or object storage can be added as decorators
 * (wrap {@link #openArtifact}) or new implementations without touching the drain.
 *
 * <p>Lifecycle: created "incomplete"; the run writes artifacts and metadata; it then calls exactly one
 * of {@link #markComplete()} or {@link #markFailed(String)}. Until {@code markComplete} the backup must
 * never look restorable (see docs/artifact-format.md, "Incomplete backups").
 *
 * <p>Implementations are safe for concurrent use: artifacts are drained in parallel.
 */
public interface BackupDestination {

    /** Opens a new artifact (a plain file name such as {@code redis-0-redis-server.tar}); fails if it exists. */
    ArtifactOutput openArtifact(String fileName) throws IOException;

    /** Replaces the metadata atomically: readers see the previous or the new version, never a mix. */
    void writeMetadata(BackupMetadata metadata) throws IOException;

    /** Writes a small auxiliary file (e.g. {@code manifest.yml}) atomically. */
    void writeFile(String name, byte[] content) throws IOException;

    /** Records that the run finished successfully and the backup may be restored. */
    void markComplete() throws IOException;

    /** Records that the run failed; the backup stays visibly incomplete with this reason. */
    void markFailed(String reason) throws IOException;

    /** The backup directory (for implementations without one, a local staging path). */
    Path location();

    /** Human-readable location for log lines. */
    String describe();
}
