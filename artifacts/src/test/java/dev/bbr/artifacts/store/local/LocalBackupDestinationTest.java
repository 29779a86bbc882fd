package dev.bbr.artifacts.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.metadata.BackupActivity;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataReader;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.IncompleteMarker;
import dev.bbr.artifacts.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackupDestinationTest {
    private static final Instant T = Instant.parse("2024-01-02T03:04:05.678Z");
    private static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

    @TempDir
    Path parent;

    private LocalBackupDestination create() throws Exception {
        return LocalBackupDestination.create(parent, "redis", CLOCK);
    }

    @Test
    void createsBbrNamedPrivateDirectoryWithIncompleteMarker() throws Exception {
        LocalBackupDestination destination = create();

        assertThat(destination.directory()).isEqualTo(parent.resolve("redis_20240102T030405Z"));
        assertThat(mode(destination.directory())).isEqualTo("rwx------");
        assertThat(destination.directory().resolve(IncompleteMarker.FILE_NAME)).exists();
        assertThat(destination.location()).isEqualTo(destination.directory().toString());
    }

    @Test
    void reportsTheFileSystemsFreeSpaceAndDiscardLeavesNothing() throws Exception {
        LocalBackupDestination destination = create();
        destination.writeFile("manifest.yml", "name: dep\n".getBytes(StandardCharsets.UTF_8));
        long usable = Files.getFileStore(destination.directory()).getUsableSpace();

        assertThat(destination.freeSpace().getAsLong()).isBetween(usable - (64L << 20), usable + (64L << 20));

        destination.discard();
        assertThat(destination.directory()).doesNotExist();
        try (Stream<Path> left = Files.list(destination.directory().getParent())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void sameSecondCollisionUsesTheNextFreeSecondWithoutWaiting() throws Exception {
        Path first = create().directory();
        Path second = create().directory();
        Path third = create().directory();

        assertThat(first.getFileName().toString()).isEqualTo("redis_20240102T030405Z");
        assertThat(second.getFileName().toString()).isEqualTo("redis_20240102T030406Z");
        assertThat(third.getFileName().toString()).isEqualTo("redis_20240102T030407Z");
        assertThat(first).exists();
    }

    @Test
    void neverReusesAnExistingDirectoryEvenAnEmptyOne() throws Exception {
        Files.createDirectory(parent.resolve("redis_20240102T030405Z"));
        assertThat(create().directory().getFileName().toString()).isEqualTo("redis_20240102T030406Z");
    }

    @Test
    void realClockAdvancesIntoTheNextSecond() throws Exception {
        Clock clock = Clock.systemUTC();
        Path a = LocalBackupDestination.create(parent, "dep", clock).directory();
        Path b = LocalBackupDestination.create(parent, "dep", clock).directory();

        assertThat(a).isNotEqualTo(b);
        assertThat(b.getFileName().toString()).matches("dep_\\d{8}T\\d{6}Z");
    }

    @Test
    void parentMustExistAndBeADirectory() throws Exception {
        Path missing = parent.resolve("nope");
        assertThatThrownBy(() -> LocalBackupDestination.create(missing, "redis", CLOCK))
                .isInstanceOf(StoreException.class)
                .hasMessage("stat " + missing + ": no such file or directory");

        Path file = Files.writeString(parent.resolve("file"), "x");
        assertThatThrownBy(() -> LocalBackupDestination.create(file, "redis", CLOCK))
                .hasMessage("artifact path " + file + " is not a directory");
    }

    @Test
    void artifactIsPrivateAndAppearsOnlyWhenClosed() throws Exception {
        LocalBackupDestination destination = create();
        Path target = destination.directory().resolve("redis-0-redis-server.tar");

        try (ArtifactOutput out = destination.openArtifact(ArtifactId.of("redis", "0", "redis-server"))) {
            out.write("hello ".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[200_000]);
            out.write('!');
            assertThat(target).doesNotExist();
            assertThat(out.bytesWritten()).isEqualTo(200_007);
        }

        assertThat(target).hasSize(200_007);
        assertThat(mode(target)).isEqualTo("rw-------");
        assertThat(listing(destination)).containsExactlyInAnyOrder(IncompleteMarker.FILE_NAME, "redis-0-redis-server.tar");
    }

    @Test
    void abortedArtifactLeavesNothingBehind() throws Exception {
        LocalBackupDestination destination = create();
        ArtifactOutput out = destination.openArtifact(ArtifactId.custom("a"));
        out.write(new byte[1000]);
        out.abort();
        out.close();

        assertThat(listing(destination)).containsExactly(IncompleteMarker.FILE_NAME);
        assertThatThrownBy(() -> out.write(1)).hasMessageContaining("already closed");
    }

    @Test
    void refusesExistingArtifactsAndNamesOutsideTheDirectory() throws Exception {
        LocalBackupDestination destination = create();
        destination.openArtifact(ArtifactId.custom("a")).close();

        assertThatThrownBy(() -> destination.openArtifact(ArtifactId.custom("a"))).hasMessageContaining("already exists");
        assertThatThrownBy(() -> destination.openArtifact(ArtifactId.custom("../evil"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> destination.openArtifact(ArtifactId.custom("x/y"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> destination.writeFile("metadata", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataAndFilesAreWrittenAtomicallyAndPrivately() throws Exception {
        LocalBackupDestination destination = create();
        BackupMetadata started = BackupMetadata.started(new BackupActivity("2024/01/02 03:04:05 UTC", null));
        destination.writeMetadata(started);
        destination.writeMetadata(started.withCustomArtifact(new dev.bbr.artifacts.metadata.ArtifactChecksums("c", java.util.Map.of())));
        destination.writeFile("manifest.yml", "name: redis\n".getBytes(StandardCharsets.UTF_8));

        Path metadata = destination.directory().resolve("metadata");
        assertThat(mode(metadata)).isEqualTo("rw-------");
        assertThat(mode(destination.directory().resolve("manifest.yml"))).isEqualTo("rw-------");
        assertThat(new MetadataReader().read(metadata).customArtifacts()).hasSize(1);
        assertThat(listing(destination)).containsExactlyInAnyOrder(IncompleteMarker.FILE_NAME, "metadata", "manifest.yml");
    }

    @Test
    void completeRemovesTheMarker() throws Exception {
        LocalBackupDestination destination = create();
        destination.markComplete();

        assertThat(destination.directory().resolve(IncompleteMarker.FILE_NAME)).doesNotExist();
        assertThat(LocalBackupSource.open(destination.directory()).incompleteReason()).isEmpty();
    }

    @Test
    void failedBackupKeepsAMarkerWithTheReasonAndNoFinishTime() throws Exception {
        LocalBackupDestination destination = create();
        BackupActivity activity = new BackupActivity("2024/01/02 03:04:05 UTC", null);
        destination.writeMetadata(BackupMetadata.started(activity.finishedAt(T.atZone(ZoneOffset.UTC))));

        destination.markFailed("Error attempting to run backup for job redis on redis/abc: boom - exit code 1\nsecond line");

        Path marker = destination.directory().resolve(IncompleteMarker.FILE_NAME);
        assertThat(marker).content().startsWith(IncompleteMarker.HEADLINE + "\nstatus: failed\n")
                .contains("reason: Error attempting to run backup for job redis on redis/abc: boom - exit code 1\n  second line");
        assertThat(mode(marker)).isEqualTo("rw-------");
        assertThat(new MetadataReader().read(destination.directory().resolve("metadata")).backupActivity().orElseThrow().finishTime())
                .isEmpty();

        // later writes (the finish-time step runs after failures too) still never claim completion
        destination.writeMetadata(BackupMetadata.started(activity.finishedAt(T.atZone(ZoneOffset.UTC))));
        assertThat(Files.readString(destination.directory().resolve("metadata"))).doesNotContain("finish_time");
        assertThat(LocalBackupSource.open(destination.directory()).incompleteReason())
                .hasValueSatisfying(r -> assertThat(r).startsWith("failed: Error attempting to run backup"));
        assertThatThrownBy(destination::markComplete).isInstanceOf(IllegalStateException.class);
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<String> listing(LocalBackupDestination destination) throws Exception {
        try (Stream<Path> files = Files.list(destination.directory())) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
