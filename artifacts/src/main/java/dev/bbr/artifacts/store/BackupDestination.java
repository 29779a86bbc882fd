package dev.bbr.artifacts.store;

import dev.bbr.artifacts.metadata.BackupMetadata;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * One backup being written. The seam is kept to these few calls so that compression, encryption and
 * object storage are decorators or new implementations, never changes to the drain.
 *
 * <p>Lifecycle: created incomplete; the run writes artifacts and metadata; it then calls exactly one
 * of {@link #markComplete()} or {@link #markFailed(String)}. Until {@code markComplete} the backup must
 * never look restorable (docs/artifact-format.md, "Incomplete backups").
 *
 * <p>Implementations are safe for concurrent use: artifacts are drained in parallel.
 */
public interface BackupDestination {

    /** Opens a new artifact for its tar bytes; fails if it exists. */
    default ArtifactOutput openArtifact(ArtifactId id) throws IOException {
        return openArtifact(id, "");
    }

    /**
     * Opens a new artifact for the bytes as stored, in a file named by {@link BbrLayout#fileName(ArtifactId,
     * String)} with {@code storedSuffix} (a codec's {@code .zst.age}); fails if it exists.
     */
    ArtifactOutput openArtifact(ArtifactId id, String storedSuffix) throws IOException;

    /** Replaces the metadata atomically: readers see the previous or the new version, never a mix. */
    void writeMetadata(BackupMetadata metadata) throws IOException;

    /** Writes a small auxiliary file (e.g. {@code manifest.yml}) atomically. */
    void writeFile(String name, byte[] content) throws IOException;

    /** Records that the run finished successfully and the backup may be restored. */
    void markComplete() throws IOException;

    /** Records that the run failed; the backup stays visibly incomplete with this reason. */
    void markFailed(String reason) throws IOException;

    /** Where the backup is, as the operator would name it (a path, later a URI), for messages. */
    String location();

    /**
     * Bytes that can still be written where this backup is stored, for the check before the drain;
     * empty when the store has no such limit to check (object storage), which skips the check.
     */
    default OptionalLong freeSpace() {
        return OptionalLong.empty();
    }

    /**
     * Removes the backup and everything in it, for a run that stopped before any artifact was
     * written (the artifacts would not fit): an empty backup is no use to anyone. Instead of
     * {@link #markComplete()} or {@link #markFailed(String)}.
     */
    void discard() throws IOException;
}
