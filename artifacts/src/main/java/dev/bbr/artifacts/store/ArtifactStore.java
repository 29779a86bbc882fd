package dev.bbr.artifacts.store;

/**
 * A place backups are written to, as the operator named it ({@code --artifact-path}): a local
 * directory now, object storage later. Opened through the {@link StorageRegistry}.
 */
public interface ArtifactStore {

    /**
     * Starts a new backup of {@code deployment}, named {@code <deployment>_<UTC timestamp>}; it is
     * marked incomplete until {@link BackupDestination#markComplete()}.
     */
    BackupDestination createBackup(String deployment) throws StoreException;

    /** The location as the operator named it. */
    String location();
}
