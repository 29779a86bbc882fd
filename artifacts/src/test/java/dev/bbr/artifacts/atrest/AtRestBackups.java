package dev.bbr.artifacts.atrest;

import dev.bbr.artifacts.codec.AgeRecipients;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.Compression;
import dev.bbr.artifacts.codec.TestAgeKeys;
import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.metadata.BackupActivity;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.artifacts.tar.ChecksummingTarCopier;
import dev.bbr.artifacts.tar.TarChecksums;
import dev.bbr.artifacts.testsupport.MutableClock;
import dev.bbr.artifacts.testsupport.Shell;
import dev.bbr.artifacts.testsupport.TreeBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real backups for the at-rest tests: GNU tar artifacts of small trees, drained through
 * {@link AtRestDestination} over a {@link LocalArtifactStore}, with metadata whose checksums match.
 */
final class AtRestBackups {
    static final Instant T = Instant.parse("2026-12-07T02:00:00Z");
    static final String TOOL = "bbr-java test";
    static final String RUN_ID = "run-1";
    static final ArtifactId REDIS_0 = ArtifactId.of("redis", "0", "redis-server");
    static final ArtifactId REDIS_1 = ArtifactId.of("redis", "1", "redis-server");
    static final ArtifactId CUSTOM = ArtifactId.custom("redis-server-redis-backup-one-restore-all");
    static final String MANIFEST = "manifest.yml";
    static final byte[] MANIFEST_CONTENT = "name: redis\n".getBytes(StandardCharsets.UTF_8);

    /** zstd:3, encrypted to Alice and the escrow key. */
    static ArtifactCodec zstdAge() {
        return ArtifactCodec.of(Compression.parse("zstd:3"),
                AgeRecipients.parse(TestAgeKeys.ALICE.publicKey(), TestAgeKeys.ESCROW.publicKey()));
    }

    /** zstd:3, not encrypted. */
    static ArtifactCodec zstd() {
        return ArtifactCodec.of(Compression.parse("zstd:3"), AgeRecipients.none());
    }

    final Path root;
    final MutableClock clock = new MutableClock(T);
    final LocalArtifactStore store;
    private final Path trees;

    AtRestBackups(Path tmp) throws IOException {
        this.root = Files.createDirectories(tmp.resolve("store"));
        this.trees = Files.createDirectories(tmp.resolve("trees"));
        this.store = new LocalArtifactStore(root, clock);
    }

    /** A finished backup as written: where it is, the metadata and each artifact's plaintext tar. */
    record Built(String name, Path dir, BackupMetadata metadata, Map<ArtifactId, byte[]> tars) {
        Path file(ArtifactId id, ArtifactCodec codec) {
            return dir.resolve(dev.bbr.artifacts.store.BbrLayout.fileName(id, codec.suffix()));
        }
    }

    /** A complete backup of "redis" through the codec: two instance artifacts, a custom one, metadata, manifest. */
    Built complete(ArtifactCodec codec) throws IOException {
        return write(codec, true, true);
    }

    /** The same, but the run never called markComplete: the incomplete marker stays. */
    Built unfinished(ArtifactCodec codec) throws IOException {
        return write(codec, false, true);
    }

    /** A backup as Go bbr writes it: the store directly, plain tars, no sidecar. */
    Built goBbr(boolean finished) throws IOException {
        BackupDestination dest = store.createBackup("redis");
        return fill(dest, ArtifactCodec.PLAIN, finished, false, true);
    }

    BackupSource open(Built built) throws IOException {
        return store.open(built.name());
    }

    private Built write(ArtifactCodec codec, boolean complete, boolean finishTime) throws IOException {
        BackupDestination dest = new AtRestDestination(store.createBackup("redis"), codec, clock, TOOL, RUN_ID,
                "redis");
        return fill(dest, codec, finishTime, true, complete);
    }

    private Built fill(BackupDestination dest, ArtifactCodec codec, boolean finishTime, boolean manifest,
            boolean complete) throws IOException {
        Map<ArtifactId, byte[]> tars = new LinkedHashMap<>();
        tars.put(REDIS_0, tarOf("redis0", Map.of("redis-server/dump.rdb", "dump of redis/0",
                "redis-server/appendonly.aof", "aof of redis/0 ".repeat(200))));
        tars.put(REDIS_1, tarOf("redis1", Map.of("redis-server/dump.rdb", "dump of redis/1")));
        tars.put(CUSTOM, tarOf("custom", Map.of("backup", "one restore all")));

        BackupMetadata metadata = BackupMetadata.started(BackupActivity.startedAt(clock.instant().atZone(ZoneOffset.UTC)));
        dest.writeMetadata(metadata);
        for (Map.Entry<ArtifactId, byte[]> tar : tars.entrySet()) {
            TarChecksums sums;
            try (ArtifactOutput out = dest.openArtifact(tar.getKey())) {
                sums = new ChecksummingTarCopier().copy(new ByteArrayInputStream(tar.getValue()), out);
            }
            ArtifactChecksums checksums = new ArtifactChecksums(tar.getKey().name(), sums.checksums());
            metadata = tar.getKey().isCustom() ? metadata.withCustomArtifact(checksums)
                    : metadata.withInstanceArtifact(tar.getKey().group(), tar.getKey().index(), checksums);
        }
        clock.advance(Duration.ofSeconds(42));
        if (finishTime) {
            metadata = metadata.withBackupActivity(metadata.backupActivity().orElseThrow()
                    .finishedAt(clock.instant().atZone(ZoneOffset.UTC)));
        }
        dest.writeMetadata(metadata);
        if (manifest) {
            dest.writeFile(MANIFEST, MANIFEST_CONTENT);
        }
        if (complete) {
            dest.markComplete();
        }
        Path dir = Path.of(dest.location());
        return new Built(dir.getFileName().toString(), dir, metadata, tars);
    }

    private byte[] tarOf(String name, Map<String, String> files) throws IOException {
        Path dir = trees.resolve(name + "-" + System.nanoTime());
        TreeBuilder tree = new TreeBuilder(dir);
        for (Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
            tree.file(file.getKey(), file.getValue());
        }
        return Shell.tar(dir);
    }

    /** Flips one bit of the byte at {@code offset} (negative: from the end). */
    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int at = (int) (offset < 0 ? bytes.length + offset : offset);
        bytes[at] ^= 0x01;
        Files.write(file, bytes);
    }

    static void truncate(Path file, int dropBytes) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - dropBytes));
    }

    static Sidecar sidecarOf(Built built) throws IOException {
        return Sidecar.parse(Files.readAllBytes(built.dir().resolve(Sidecar.FILE_NAME)));
    }
}
