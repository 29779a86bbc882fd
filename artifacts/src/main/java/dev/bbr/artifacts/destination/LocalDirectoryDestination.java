package dev.bbr.artifacts.destination;

import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataWriter;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
public final class LocalDirectoryDestination implements BackupDestination {
    public static final String METADATA_FILE = "metadata";
    /** Give up after this many occupied seconds in a row; something else is creating directories. */
    private static final int MAX_NAME_ATTEMPTS = 10;

    private enum State { RUNNING, COMPLETE, FAILED }

    private final Path directory;
    private final Clock clock;
    private final MetadataWriter writer = new MetadataWriter();
    private State state = State.RUNNING;
    private BackupMetadata lastMetadata;

    private LocalDirectoryDestination(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Creates {@code parent/<name>_<YYYYMMDDTHHMMSSZ>} (mode 0700) with the incomplete marker inside.
     * If another run already took that second, waits for the next second and uses its timestamp: a
     * directory is never reused and the naming format never changes.
     */
    public static LocalDirectoryDestination create(Path parent, String name, Clock clock) throws IOException {
        return create(parent, name, clock, Sleeper.REAL);
    }

    static LocalDirectoryDestination create(Path parent, String name, Clock clock, Sleeper sleeper) throws IOException {
        FileNames.requirePlain(name);
        requireDirectory(parent);
        Instant candidate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
            Path directory = parent.resolve(BackupDirectoryName.of(name, candidate));
            try {
                Files.createDirectory(directory, DurableFiles.permissions(parent, DurableFiles.OWNER_RWX));
            } catch (FileAlreadyExistsException taken) {
                candidate = nextFreeSecond(candidate, clock, sleeper);
                continue;
            } catch (IOException e) {
                throw new ArtifactStoreException("failed creating artifact directory: " + e.getMessage(), e);
            }
            DurableFiles.setPermissions(directory, DurableFiles.OWNER_RWX); // umask may have narrowed/widened it
            DurableFiles.syncDirectory(parent);
            LocalDirectoryDestination destination = new LocalDirectoryDestination(directory, clock);
            DurableFiles.replaceAtomically(destination.marker(), IncompleteMarker.inProgress(clock.instant()));
            return destination;
        }
        throw new ArtifactStoreException("failed creating artifact directory: " + parent.resolve(name)
                + "_* is taken for " + MAX_NAME_ATTEMPTS + " consecutive seconds");
    }

    /** Waits until the second after {@code taken} has begun (per the clock), and returns it. */
    private static Instant nextFreeSecond(Instant taken, Clock clock, Sleeper sleeper) throws ArtifactStoreException {
        Instant next = taken.plusSeconds(1);
        Instant now = clock.instant();
        if (now.isBefore(next)) {
            try {
                sleeper.sleep(Duration.between(now, next));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArtifactStoreException("failed creating artifact directory: interrupted", e);
            }
        }
        Instant current = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // A fixed or slow clock may not have moved; never go back to a second already known to be taken.
        return current.isAfter(next) ? current : next;
    }

    private static void requireDirectory(Path parent) throws ArtifactStoreException {
        if (!Files.exists(parent)) {
            throw new ArtifactStoreException("stat " + parent + ": no such file or directory");
        }
        if (!Files.isDirectory(parent)) {
            throw new ArtifactStoreException("artifact path " + parent + " is not a directory");
        }
    }

    @Override
    public ArtifactOutput openArtifact(String fileName) throws IOException {
        return LocalArtifactOutput.create(directory, FileNames.requirePlain(fileName));
    }

    /** While the run is failed, {@code finish_time} is dropped so the metadata never claims completion. */
    @Override
    public synchronized void writeMetadata(BackupMetadata metadata) throws IOException {
        lastMetadata = metadata;
        DurableFiles.replaceAtomically(directory.resolve(METADATA_FILE), writer.toBytes(forState(metadata)));
    }

    @Override
    public synchronized void writeFile(String name, byte[] content) throws IOException {
        String plain = FileNames.requirePlain(name);
        if (plain.equals(METADATA_FILE) || plain.equals(IncompleteMarker.FILE_NAME)) {
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
    public Path location() {
        return directory;
    }

    @Override
    public String describe() {
        return directory.toString();
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
