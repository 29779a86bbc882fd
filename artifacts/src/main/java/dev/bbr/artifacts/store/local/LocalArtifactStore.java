package dev.bbr.artifacts.store.local;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** A directory on the jumpbox that holds backups, as Go bbr writes them. */
public final class LocalArtifactStore implements ArtifactStore {
    private final Path root;
    private final Clock clock;

    public LocalArtifactStore(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    @Override
    public BackupDestination createBackup(String deployment) throws StoreException {
        return LocalBackupDestination.create(root, deployment, clock);
    }

    @Override
    public String location() {
        return root.toString();
    }

    /** An existing backup directory (restore's {@code --artifact-path} is the backup itself). */
    public static BackupSource openBackup(Path backupDirectory) throws StoreException {
        return LocalBackupSource.open(backupDirectory);
    }

    /** bbr's checks of {@code --artifact-path}, with its words. */
    static void requireDirectory(Path parent) throws StoreException {
        if (!Files.exists(parent)) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "stat " + parent + ": no such file or directory");
        }
        if (!Files.isDirectory(parent)) {
            throw new StoreException(StoreException.Reason.NOT_A_DIRECTORY, "artifact path " + parent
                    + " is not a directory");
        }
    }

    /**
     * Local paths: anything that is not a {@code scheme://} URI. Relative paths are resolved against
     * {@code workingDirectory}, so a caller's notion of "here" is used, not the JVM's.
     */
    public static StorageRegistry.Adapter adapter(Path workingDirectory, Clock clock) {
        return new StorageRegistry.Adapter() {
            @Override
            public boolean accepts(String location) {
                return !location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
            }

            @Override
            public ArtifactStore store(String location) {
                return new LocalArtifactStore(resolve(location), clock);
            }

            @Override
            public BackupSource openBackup(String location) throws StoreException {
                return LocalArtifactStore.openBackup(resolve(location));
            }

            private Path resolve(String location) {
                return workingDirectory.resolve(location.isEmpty() ? "." : location);
            }
        };
    }
}
