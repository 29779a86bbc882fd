package dev.bbr.artifacts.store.local;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataWriter;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.IncompleteMarker;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A backup written to a local directory in Go bbr's layout ({@code <name>_<UTC timestamp>/metadata},
 * {@code *.tar}, {@code manifest.yml}), plus the {@link IncompleteMarker} until the run completes.
 *
 * <p>Durability: every file is 0600, fsynced before it gets its final name, renamed atomically, and the
 * directory is fsynced after each rename. A crash at any point leaves either the old or the new version
 * of each file, and the marker.
 */
final class LocalBackupDestination implements BackupDestination {
    /** Give up after this many occupied seconds in a row; something else is creating directories. */
    private static final int MAX_NAME_ATTEMPTS = 10;

    private enum State { RUNNING, COMPLETE, FAILED }

    private final Path directory;
    private final Clock clock;
    private final MetadataWriter writer = new MetadataWriter();
    private State state = State.RUNNING;
    private BackupMetadata lastMetadata;

    private LocalBackupDestination(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Creates {@code parent/<name>_<YYYYMMDDTHHMMSSZ>} (mode 0700) with the incomplete marker inside.
     * If another run already took that second, the next free second is used: a directory is never
     * reused, the naming format never changes, and nothing waits (the name may run a second or two
     * ahead of the clock).
     */
    static LocalBackupDestination create(Path parent, String name, Clock clock) throws StoreException {
        BbrLayout.requirePlain(name);
        LocalArtifactStore.requireDirectory(parent);
        Instant candidate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++, candidate = candidate.plusSeconds(1)) {
            Path directory = parent.resolve(BbrLayout.backupName(name, candidate));
            try {
                Files.createDirectory(directory, DurableFiles.permissions(parent, DurableFiles.OWNER_RWX));
            } catch (FileAlreadyExistsException taken) {
                continue;
            } catch (IOException e) {
                throw new StoreException(StoreException.Reason.CREATE_FAILED, "failed creating artifact directory: "
                        + e.getMessage(), e);
            }
            try {
                DurableFiles.setPermissions(directory, DurableFiles.OWNER_RWX); // umask may have changed it
                DurableFiles.syncDirectory(parent);
                LocalBackupDestination destination = new LocalBackupDestination(directory, clock);
                DurableFiles.replaceAtomically(destination.marker(), IncompleteMarker.inProgress(clock.instant()));
                return destination;
            } catch (IOException e) {
                throw new StoreException(StoreException.Reason.CREATE_FAILED, "failed creating artifact directory: "
                        + e.getMessage(), e);
            }
        }
        throw new StoreException(StoreException.Reason.CREATE_FAILED, "failed creating artifact directory: "
                + parent.resolve(name) + "_* is taken for " + MAX_NAME_ATTEMPTS + " consecutive seconds");
    }

    @Override
    public ArtifactOutput openArtifact(ArtifactId id, String storedSuffix) throws IOException {
        return LocalArtifactOutput.create(directory, BbrLayout.fileName(id, storedSuffix));
    }

    /** While the run is failed, {@code finish_time} is dropped so the metadata never claims completion. */
    @Override
    public synchronized void writeMetadata(BackupMetadata metadata) throws IOException {
        lastMetadata = metadata;
        DurableFiles.replaceAtomically(directory.resolve(BbrLayout.METADATA_FILE), writer.toBytes(forState(metadata)));
    }

    @Override
    public synchronized void writeFile(String name, byte[] content) throws IOException {
        String plain = BbrLayout.requirePlain(name);
        if (plain.equals(BbrLayout.METADATA_FILE) || plain.equals(IncompleteMarker.FILE_NAME)) {
            throw new IllegalArgumentException(plain + " is managed by the destination itself");
        }
        DurableFiles.replaceAtomically(directory.resolve(plain), content);
    }

    @Override
    public synchronized void markComplete() throws IOException {
        if (state == State.FAILED) {
            throw new IllegalStateException("backup " + directory + " was already marked failed");
        }
        state = State.COMPLETE;
        DurableFiles.deleteDurably(marker());
    }

    @Override
    public synchronized void markFailed(String reason) throws IOException {
        state = State.FAILED;
        DurableFiles.replaceAtomically(marker(), IncompleteMarker.failed(reason, clock.instant()));
        if (lastMetadata != null && lastMetadata.backupActivity().flatMap(a -> a.finishTime()).isPresent()) {
            writeMetadata(lastMetadata);
        }
    }

    @Override
    public String location() {
        return directory.toString();
    }

    /** The file system's space available to this process (root's reserve excluded, as df shows it). */
    @Override
    public OptionalLong freeSpace() {
        try {
            return OptionalLong.of(Files.getFileStore(directory).getUsableSpace());
        } catch (IOException e) {
            return OptionalLong.empty(); // no number, no check: the drain reports a full disk itself
        }
    }

    @Override
    public synchronized void discard() throws IOException {
        state = State.FAILED;
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.toList();
        }
        for (Path file : files) {
            Files.deleteIfExists(file); // only the metadata, the marker and manifest.yml: nothing was drained
        }
        Files.deleteIfExists(directory);
        DurableFiles.syncDirectory(directory.getParent());
    }

    /** The backup directory (tests and local tools). */
    Path directory() {
        return directory;
    }

    private BackupMetadata forState(BackupMetadata metadata) {
        if (state != State.FAILED) {
            return metadata;
        }
        return metadata.backupActivity()
                .map(activity -> metadata.withBackupActivity(activity.withoutFinishTime()))
                .orElse(metadata);
    }

    private Path marker() {
        return directory.resolve(IncompleteMarker.FILE_NAME);
    }
}
