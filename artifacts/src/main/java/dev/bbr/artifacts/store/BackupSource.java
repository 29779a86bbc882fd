package dev.bbr.artifacts.store;

import dev.bbr.artifacts.metadata.BackupMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** A backup to restore from, read-only. Counterpart of {@link BackupDestination}. */
public interface BackupSource {

    /** Parses the metadata; {@code unable to load metadata: …} when it cannot be read or understood. */
    BackupMetadata readMetadata() throws IOException;

    /**
     * Opens an artifact's tar bytes for streaming.
     *
     * @throws StoreException {@link StoreException.Reason#NOT_FOUND} with bbr's {@code open <path>: no such
     *         file or directory} when the backup has no such artifact
     */
    default InputStream openArtifact(ArtifactId id) throws IOException {
        return openArtifact(id, "");
    }

    /** Opens an artifact's bytes as stored (in the file with {@code storedSuffix}). */
    InputStream openArtifact(ArtifactId id, String storedSuffix) throws IOException;

    /** The artifact's tar size in bytes (its plaintext, whatever the store keeps): the progress total. */
    default long plaintextSize(ArtifactId id) throws IOException {
        return storedSize(id, "");
    }

    /** Bytes of the stored file with {@code storedSuffix}. */
    long storedSize(ArtifactId id, String storedSuffix) throws IOException;

    /** A small file of the backup ({@code bbr-sidecar.json}, {@code manifest.yml}), if it is there. */
    Optional<byte[]> readFile(String name) throws IOException;

    /** The backup's name, {@code <deployment>_<YYYYMMDDTHHMMSSZ>}. */
    String name();

    /** Why the backup is incomplete, if it carries our incomplete marker; empty for finished or Go bbr backups. */
    Optional<String> incompleteReason() throws IOException;

    /** Where the backup is, as the operator named it, for messages. */
    String location();
}
