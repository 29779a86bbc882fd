package dev.bbr.artifacts.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a location as the operator typed it ({@code /backups}, later {@code s3://bucket/prefix},
 * {@code sftp://user@host/path}) to the store that handles it. Callers never name an adapter: a new
 * store is one more {@link Adapter} registered here.
 */
public final class StorageRegistry {

    /** One kind of store. */
    public interface Adapter {
        /** Whether this adapter handles the location (usually by its URI scheme). */
        boolean accepts(String location);

        /** The store rooted at {@code location}, where new backups are created. */
        ArtifactStore store(String location) throws StoreException;

        /** An existing backup at {@code location} (restore's {@code --artifact-path}). */
        BackupSource openBackup(String location) throws StoreException;

        /** Whether {@code location} is one backup (then: its store and name) or a store of backups. */
        Located locate(String location) throws StoreException;
    }

    /**
     * A location as the {@code bbr artifacts} commands take it: one backup ({@code backup} is its name)
     * or a store holding backups ({@code backup} is null).
     */
    public record Located(ArtifactStore store, String backup) {
        public boolean isBackup() {
            return backup != null;
        }
    }

    private final List<Adapter> adapters = new ArrayList<>();

    /** Adapters are asked in the order they were registered; the first that accepts wins. */
    public StorageRegistry register(Adapter adapter) {
        adapters.add(adapter);
        return this;
    }

    public ArtifactStore store(String location) throws StoreException {
        return adapterFor(location).store(location);
    }

    public BackupSource openBackup(String location) throws StoreException {
        return adapterFor(location).openBackup(location);
    }

    public Located locate(String location) throws StoreException {
        return adapterFor(location).locate(location);
    }

    private Adapter adapterFor(String location) throws StoreException {
        for (Adapter adapter : adapters) {
            if (adapter.accepts(location)) {
                return adapter;
            }
        }
        throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "unsupported artifact location "
                + location + ": give a local directory path, s3://BUCKET/PREFIX, azure://CONTAINER/PREFIX or"
                + " sftp://USER@HOST/PATH");
    }
}
