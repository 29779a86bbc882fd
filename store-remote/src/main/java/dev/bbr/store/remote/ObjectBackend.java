package dev.bbr.store.remote;

import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The few operations a remote store needs from an object store (S3, Azure Blob, an SFTP directory),
 * on keys relative to the store's root ({@code a/b/c}, '/'-separated, no leading slash).
 * {@link RemoteArtifactStore} builds bbr's backup layout, the incomplete marker and the run locks on
 * top of these.
 *
 * <p>Errors: every method throws {@link StoreException} with a one-line, operator-facing message that
 * names the location and says what to do (wrong credentials, missing bucket, unreachable endpoint);
 * a plain {@link IOException} means a transient failure worth retrying. Messages never contain keys,
 * passwords or tokens.
 */
public interface ObjectBackend extends AutoCloseable {

    /** A small object's bytes and the version (ETag, or a content hash) a conditional replace compares. */
    record Versioned(byte[] content, String version) {
    }

    /** {@code key} as the operator would name it: the root location plus the key. */
    String describe(String key);

    /** Reads a small object whole; empty when it does not exist. */
    Optional<Versioned> read(String key) throws IOException;

    /** The object's size in bytes; empty when it does not exist. */
    Optional<Long> size(String key) throws IOException;

    /**
     * Streams an object.
     *
     * @throws StoreException NOT_FOUND with {@code open <location>: no such file or directory}
     */
    InputStream openStream(String key) throws IOException;

    /** Writes a small object, replacing it atomically: readers see the old or the new bytes, never a mix. */
    void write(String key, byte[] content) throws IOException;

    /** Creates a small object only if no object has that key; its version, or empty when the key was taken. */
    Optional<String> createIfAbsent(String key, byte[] content) throws IOException;

    /**
     * Replaces a small object only if its version is still {@code expectedVersion}; the new version, or
     * empty when the object changed or disappeared in between (so two runs cannot both win).
     */
    Optional<String> replaceIfMatch(String key, byte[] content, String expectedVersion) throws IOException;

    /** Removes an object; nothing happens when it does not exist. */
    void delete(String key) throws IOException;

    /** Every key that starts with {@code prefix} ("" for all), recursively, sorted. */
    List<String> listKeys(String prefix) throws IOException;

    /**
     * The immediate "directories" under {@code prefix} ("" or ending with '/'): the next path segment of
     * every key below it that has a further '/', without the slash, sorted and distinct.
     */
    List<String> listChildren(String prefix) throws IOException;

    /** Whether any object's key starts with {@code prefix}. */
    boolean anyUnder(String prefix) throws IOException;

    /**
     * Opens a streaming upload to {@code key}: the object appears under its key only when the output is
     * closed (committed); {@link ArtifactOutput#abort()} removes what was uploaded.
     */
    ArtifactOutput openUpload(String key) throws IOException;

    /**
     * Checks that the root can be used at all (the bucket exists, the credentials are accepted, the
     * endpoint answers), failing with the one-line message an operator can act on.
     */
    void probe() throws StoreException;

    /** Store-specific cleanup after every object under {@code prefix} was deleted (S3: stale uploads). */
    default void cleanUpAfterDelete(String prefix) throws IOException {
    }

    @Override
    default void close() {
    }
}
