package dev.bbr.artifacts.store.local;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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
    public List<String> backups() throws StoreException {
        requireDirectory(root);
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> BbrLayout.timeOf(name).isPresent()).sorted().toList();
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.READ_FAILED, "cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BackupSource open(String backupName) throws StoreException {
        return LocalBackupSource.open(root.resolve(BbrLayout.requirePlain(backupName)));
    }

    @Override
    public void delete(String backupName) throws StoreException {
        Path backup = root.resolve(BbrLayout.requirePlain(backupName));
        if (!Files.isDirectory(backup)) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "stat " + backup + ": no such file or directory");
        }
        try (Stream<Path> tree = Files.walk(backup)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
            DurableFiles.syncDirectory(root);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot delete " + backup + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void annotate(String backupName, String fileName, byte[] content) throws StoreException {
        Path file = root.resolve(BbrLayout.requirePlain(backupName)).resolve(BbrLayout.requirePlain(fileName));
        try {
            DurableFiles.replaceAtomically(file, content);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RunLock lock(String deployment, RunLock.Owner owner, Duration staleAfter) throws StoreException {
        requireDirectory(root);
        return LocalRunLock.acquire(root, deployment, owner, staleAfter, clock);
    }

    @Override
    public List<String> unlock(String deploymentOrAll) throws StoreException {
        requireDirectory(root);
        return LocalRunLock.remove(root, deploymentOrAll);
    }

    /** The file system's space available to this process, as df shows it; empty if the directory is missing. */
    @Override
    public java.util.OptionalLong freeSpace() {
        try {
            return java.util.OptionalLong.of(Files.getFileStore(root).getUsableSpace());
        } catch (IOException e) {
            return java.util.OptionalLong.empty();
        }
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

            @Override
            public StorageRegistry.Located locate(String location) throws StoreException {
                Path path = resolve(location);
                if (Files.isRegularFile(path.resolve(BbrLayout.METADATA_FILE)) && path.getParent() != null) {
                    return new StorageRegistry.Located(new LocalArtifactStore(path.getParent(), clock),
                            path.getFileName().toString());
                }
                requireDirectory(path);
                return new StorageRegistry.Located(new LocalArtifactStore(path, clock), null);
            }

            private Path resolve(String location) {
                return workingDirectory.resolve(location.isEmpty() ? "." : location);
            }
        };
    }
}
