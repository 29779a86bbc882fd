package dev.bbr.artifacts.store;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

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

    /** The names of the backups here ({@code <deployment>_<YYYYMMDDTHHMMSSZ>}), sorted. */
    List<String> backups() throws StoreException;

    /** An existing backup here, by name. */
    BackupSource open(String backupName) throws StoreException;

    /** Removes a backup and everything in it (retention). */
    void delete(String backupName) throws StoreException;

    /** Adds a small file to a finished backup (the record of a successful verify). */
    void annotate(String backupName, String fileName, byte[] content) throws StoreException;

    /**
     * Takes the run lock of {@code deployment} in this store: one backup of a deployment into one
     * store at a time. A lock whose holder died (same host, process gone) or that was not refreshed
     * for {@code staleAfter} is taken over; the returned lock says from whom.
     *
     * @throws StoreException {@link StoreException.Reason#LOCKED}, naming the holder, when another
     *         run holds it
     */
    RunLock lock(String deployment, RunLock.Owner owner, Duration staleAfter) throws StoreException;

    /** Removes run locks by hand ({@code bbr artifacts unlock}); returns a line per lock removed. */
    List<String> unlock(String deploymentOrAll) throws StoreException;

    /** The location as the operator named it. */
    String location();

    /**
     * Bytes that can still be written here; empty when the store has no such limit to report
     * (object storage). {@code pre-backup-check --artifact-path} shows it.
     */
    default OptionalLong freeSpace() {
        return OptionalLong.empty();
    }
}
