package dev.bbr.artifacts.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.artifacts.testsupport.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
    private static final Instant T = Instant.parse("2026-12-07T02:00:00Z");

    @TempDir
    Path root;

    MutableClock clock;
    LocalArtifactStore store;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T);
        store = new LocalArtifactStore(root, clock);
    }

    private String backup(String deployment) throws IOException {
        BackupDestination dest = store.createBackup(deployment);
        try (ArtifactOutput out = dest.openArtifact(ArtifactId.of("g", "0", "job"))) {
            out.write("tar bytes".getBytes(StandardCharsets.UTF_8));
        }
        dest.writeMetadata(BackupMetadata.empty());
        dest.markComplete();
        clock.advance(Duration.ofHours(1));
        return Path.of(dest.location()).getFileName().toString();
    }

    @Test
    void listsTheBackupsByNameSorted() throws IOException {
        String redis1 = backup("redis");
        String cf = backup("cf");
        String redis2 = backup("redis");

        assertThat(store.backups()).containsExactly(cf, redis1, redis2);
        assertThat(redis1).isEqualTo("redis_20261207T020000Z");
        assertThat(redis2).isEqualTo("redis_20261207T040000Z");
    }

    @Test
    void listingSkipsWhatIsNotABackupDirectory() throws IOException {
        String redis = backup("redis");
        Files.createDirectory(root.resolve("lost+found"));
        Files.createDirectory(root.resolve("redis_20261207T0200"));
        Files.writeString(root.resolve("cf_20261207T020000Z"), "a file with a backup's name");
        try (RunLock lock = store.lock("redis", RunLock.Owner.thisProcess("r", T), Duration.ofHours(1))) {
            assertThat(store.backups()).containsExactly(redis);
        }
    }

    @Test
    void anEmptyStoreHasNoBackups() throws IOException {
        assertThat(store.backups()).isEmpty();
    }

    @Test
    void aMissingRootIsNotFound() {
        LocalArtifactStore missing = new LocalArtifactStore(root.resolve("nope"), clock);

        assertThatThrownBy(missing::backups).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND))
                .hasMessage("stat " + root.resolve("nope") + ": no such file or directory");
    }

    @Test
    void aRootThatIsAFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(root.resolve("file"), "x");

        assertThatThrownBy(() -> new LocalArtifactStore(file, clock).backups())
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_A_DIRECTORY));
    }

    @Test
    void opensABackupByName() throws IOException {
        String name = backup("redis");

        BackupSource source = store.open(name);

        assertThat(source.name()).isEqualTo(name);
        assertThat(source.location()).isEqualTo(root.resolve(name).toString());
        assertThat(source.incompleteReason()).isEmpty();
        assertThat(source.readMetadata()).isEqualTo(BackupMetadata.empty());
        try (var in = source.openArtifact(ArtifactId.of("g", "0", "job"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("tar bytes");
        }
    }

    @Test
    void openingAMissingBackupIsNotFound() {
        assertThatThrownBy(() -> store.open("redis_20261207T020000Z"))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND))
                .hasMessageContaining(root.resolve("redis_20261207T020000Z") + ": no such file or directory");
    }

    @Test
    void backupNamesCannotLeaveTheStore() {
        assertThatThrownBy(() -> store.open("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open("../other")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.annotate("..", "x", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.annotate("redis_20261207T020000Z", "../x", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesTheWholeBackupAndNothingElse() throws IOException {
        String gone = backup("redis");
        String kept = backup("redis");
        Files.createDirectories(root.resolve(gone).resolve("nested/deeper"));
        Files.writeString(root.resolve(gone).resolve("nested/deeper/file"), "x");
        Files.writeString(root.resolve(gone).resolve(".hidden"), "x");

        store.delete(gone);

        assertThat(root.resolve(gone)).doesNotExist();
        assertThat(root.resolve(kept).resolve("g-0-job.tar")).exists();
        assertThat(store.backups()).containsExactly(kept);
    }

    @Test
    void deletingAMissingBackupIsNotFound() {
        assertThatThrownBy(() -> store.delete("redis_20261207T020000Z"))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND))
                .hasMessage("stat " + root.resolve("redis_20261207T020000Z") + ": no such file or directory");
    }

    @Test
    void deletingAFileIsRefused() throws IOException {
        Files.writeString(root.resolve("redis_20261207T020000Z"), "not a backup");

        assertThatThrownBy(() -> store.delete("redis_20261207T020000Z")).isInstanceOf(StoreException.class);
        assertThat(root.resolve("redis_20261207T020000Z")).exists();
    }

    @Test
    void annotateAddsAPrivateFileToAFinishedBackup() throws IOException {
        String name = backup("redis");

        store.annotate(name, "bbr-verified.json", "{}".getBytes(StandardCharsets.UTF_8));

        Path file = root.resolve(name).resolve("bbr-verified.json");
        assertThat(file).hasContent("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(store.open(name).readFile("bbr-verified.json")).hasValue("{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void annotateReplacesAnEarlierVersionAndLeavesNoTempFile() throws IOException {
        String name = backup("redis");
        store.annotate(name, "bbr-verified.json", "first".getBytes(StandardCharsets.UTF_8));

        store.annotate(name, "bbr-verified.json", "second".getBytes(StandardCharsets.UTF_8));

        assertThat(root.resolve(name).resolve("bbr-verified.json")).hasContent("second");
        try (Stream<Path> files = Files.list(root.resolve(name))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void annotatingAMissingBackupFailsAndCreatesNothing() {
        assertThatThrownBy(() -> store.annotate("redis_20261207T020000Z", "bbr-verified.json", new byte[1]))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.WRITE_FAILED))
                .hasMessageStartingWith("cannot write " + root.resolve("redis_20261207T020000Z/bbr-verified.json"));
        assertThat(root.resolve("redis_20261207T020000Z")).doesNotExist();
    }

    @Test
    void locationIsTheRoot() {
        assertThat(store.location()).isEqualTo(root.toString());
    }
}
