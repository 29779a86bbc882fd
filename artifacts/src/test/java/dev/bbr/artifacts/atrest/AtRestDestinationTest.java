package dev.bbr.artifacts.atrest;

import static dev.bbr.artifacts.atrest.AtRestBackups.CUSTOM;
import static dev.bbr.artifacts.atrest.AtRestBackups.REDIS_0;
import static dev.bbr.artifacts.atrest.AtRestBackups.REDIS_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.TestAgeKeys;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataWriter;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.IncompleteMarker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtRestDestinationTest {
    @TempDir
    Path tmp;

    AtRestBackups backups;

    @BeforeEach
    void setUp() throws IOException {
        backups = new AtRestBackups(tmp);
    }

    @Test
    void storesEachArtifactUnderItsTarNamePlusTheCodecSuffix() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

        assertThat(fileNames(built.dir())).containsExactlyInAnyOrder(
                "redis-0-redis-server.tar.zst.age", "redis-1-redis-server.tar.zst.age",
                "redis-server-redis-backup-one-restore-all.tar.zst.age", "metadata", "manifest.yml",
                "bbr-sidecar.json");
    }

    @Test
    void aPlainCodecWritesGoBbrsTarsByteForByte() throws IOException {
        AtRestBackups.Built built = backups.complete(ArtifactCodec.PLAIN);

        assertThat(built.dir().resolve("redis-0-redis-server.tar")).hasBinaryContent(built.tars().get(REDIS_0));
        assertThat(built.dir().resolve("redis-server-redis-backup-one-restore-all.tar"))
                .hasBinaryContent(built.tars().get(CUSTOM));
        Sidecar sidecar = AtRestBackups.sidecarOf(built);
        assertThat(sidecar.codec()).isEqualTo(new Sidecar.Codec("none", List.of()));
        Sidecar.Artifact artifact = sidecar.artifact("redis-0-redis-server.tar").orElseThrow();
        assertThat(artifact.plaintextBytes()).isEqualTo(artifact.storedBytes());
    }

    @Test
    void theStoredBytesAreTheTarCompressedThenEncryptedToTheRecipients() throws IOException {
        ArtifactCodec codec = AtRestBackups.zstdAge();
        AtRestBackups.Built built = backups.complete(codec);

        for (ArtifactId id : List.of(REDIS_0, REDIS_1, CUSTOM)) {
            byte[] stored = Files.readAllBytes(built.file(id, codec));
            assertThat(new String(stored, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1");
            for (TestAgeKeys.KeyPair key : List.of(TestAgeKeys.ALICE, TestAgeKeys.ESCROW)) {
                try (InputStream in = codec.decode(new ByteArrayInputStream(stored), key.identities())) {
                    assertThat(in.readAllBytes()).isEqualTo(built.tars().get(id));
                }
            }
        }
    }

    @Test
    void theSidecarRecordsTheRunAndTheCodec() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

        Sidecar sidecar = AtRestBackups.sidecarOf(built);
        assertThat(sidecar.format()).isEqualTo(1);
        assertThat(sidecar.tool()).isEqualTo("bbr-java test");
        assertThat(sidecar.runId()).isEqualTo("run-1");
        assertThat(sidecar.deployment()).isEqualTo("redis");
        assertThat(sidecar.startedAt()).isEqualTo("2026-12-07T02:00:00Z");
        assertThat(sidecar.finishedAt()).isEqualTo("2026-12-07T02:00:42Z");
        assertThat(sidecar.codec()).isEqualTo(new Sidecar.Codec("zstd:3",
                List.of(TestAgeKeys.ALICE.publicKey(), TestAgeKeys.ESCROW.publicKey())));
    }

    @Test
    void theSidecarRecordsEachArtifactsPlaintextAndStoredSizeAndStoredSha256() throws IOException {
        ArtifactCodec codec = AtRestBackups.zstdAge();
        AtRestBackups.Built built = backups.complete(codec);

        Sidecar sidecar = AtRestBackups.sidecarOf(built);
        assertThat(sidecar.artifacts()).hasSize(3);
        for (ArtifactId id : List.of(REDIS_0, REDIS_1, CUSTOM)) {
            Path file = built.file(id, codec);
            Sidecar.Artifact recorded = sidecar.artifact(file.getFileName().toString()).orElseThrow();
            byte[] stored = Files.readAllBytes(file);
            assertThat(recorded.name()).isEqualTo(id.name());
            assertThat(recorded.owner()).isEqualTo(id.owner());
            assertThat(recorded.plaintextBytes()).isEqualTo(built.tars().get(id).length);
            assertThat(recorded.storedBytes()).isEqualTo(stored.length);
            assertThat(recorded.storedSha256()).isEqualTo(Digests.sha256(stored));
        }
        assertThat(sidecar.artifact("redis-server-redis-backup-one-restore-all.tar.zst.age").orElseThrow().owner())
                .isEqualTo("custom artifact");
        // zstd shrinks GNU tar's zero padding: the record really is of two different sizes
        Sidecar.Artifact redis0 = sidecar.artifact("redis-0-redis-server.tar.zst.age").orElseThrow();
        assertThat(redis0.storedBytes()).isLessThan(redis0.plaintextBytes());
    }

    @Test
    void theSidecarRecordsTheOtherFilesAsTheyAreOnDisk() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

        Sidecar sidecar = AtRestBackups.sidecarOf(built);
        assertThat(sidecar.files()).extracting(Sidecar.StoredFile::file).containsExactly("metadata", "manifest.yml");
        for (Sidecar.StoredFile file : sidecar.files()) {
            byte[] onDisk = Files.readAllBytes(built.dir().resolve(file.file()));
            assertThat(file.bytes()).as(file.file()).isEqualTo(onDisk.length);
            assertThat(file.sha256()).as(file.file()).isEqualTo(Digests.sha256(onDisk));
        }
        // the last version of the metadata, the one with the finish time and every artifact
        assertThat(built.dir().resolve("metadata")).hasBinaryContent(new MetadataWriter().toBytes(built.metadata()));
        assertThat(sidecar.storedBytes()).isEqualTo(sidecar.artifacts().stream().mapToLong(Sidecar.Artifact::storedBytes)
                .sum() + Files.size(built.dir().resolve("metadata")) + AtRestBackups.MANIFEST_CONTENT.length);
    }

    @Test
    void theSidecarIsWrittenBeforeTheIncompleteMarkerIsRemoved() throws IOException {
        BackupDestination local = backups.store.createBackup("redis");
        Path dir = Path.of(local.location());
        List<String> events = new ArrayList<>();
        BackupDestination recording = new ForwardingDestination(local) {
            @Override
            public void writeFile(String name, byte[] content) throws IOException {
                events.add("write " + name + (Files.exists(dir.resolve(IncompleteMarker.FILE_NAME)) ? " (marker present)"
                        : " (marker gone)"));
                super.writeFile(name, content);
            }

            @Override
            public void markComplete() throws IOException {
                events.add("markComplete");
                super.markComplete();
            }
        };
        AtRestDestination destination = new AtRestDestination(recording, AtRestBackups.zstdAge(), backups.clock,
                "t", "r", "redis");
        try (ArtifactOutput out = destination.openArtifact(REDIS_0)) {
            out.write(new byte[] {1, 2, 3});
        }
        destination.writeMetadata(BackupMetadata.empty());

        assertThat(dir.resolve(Sidecar.FILE_NAME)).doesNotExist();
        destination.markComplete();

        assertThat(events).containsExactly("write bbr-sidecar.json (marker present)", "markComplete");
        assertThat(dir.resolve(Sidecar.FILE_NAME)).exists();
        assertThat(dir.resolve(IncompleteMarker.FILE_NAME)).doesNotExist();
    }

    @Test
    void anUnfinishedRunHasNoSidecarAndKeepsItsMarker() throws IOException {
        AtRestBackups.Built built = backups.unfinished(AtRestBackups.zstdAge());

        assertThat(built.dir().resolve(Sidecar.FILE_NAME)).doesNotExist();
        assertThat(built.dir().resolve(IncompleteMarker.FILE_NAME)).exists();
    }

    @Test
    void aFailedRunHasNoSidecarAndSaysWhy() throws IOException {
        BackupDestination local = backups.store.createBackup("redis");
        AtRestDestination destination = new AtRestDestination(local, AtRestBackups.zstdAge(), backups.clock, "t", "r",
                "redis");
        destination.markFailed("drain of redis/0 failed");

        Path dir = Path.of(destination.location());
        assertThat(destination.location()).isEqualTo(local.location());
        assertThat(dir.resolve(Sidecar.FILE_NAME)).doesNotExist();
        assertThat(IncompleteMarker.describe(Files.readAllBytes(dir.resolve(IncompleteMarker.FILE_NAME))))
                .isEqualTo("failed: drain of redis/0 failed");
    }

    @Test
    void anAbortedArtifactLeavesNoFileAndNoRecord() throws IOException {
        BackupDestination local = backups.store.createBackup("redis");
        AtRestDestination destination = new AtRestDestination(local, AtRestBackups.zstdAge(), backups.clock, "t", "r",
                "redis");
        ArtifactOutput out = destination.openArtifact(REDIS_0);
        out.write(new byte[4096]);
        out.abort();
        out.close();
        try (ArtifactOutput kept = destination.openArtifact(REDIS_1)) {
            kept.write(7);
        }
        destination.writeMetadata(BackupMetadata.empty());
        destination.markComplete();

        Path dir = Path.of(local.location());
        assertThat(fileNames(dir)).containsExactlyInAnyOrder("redis-1-redis-server.tar.zst.age", "metadata",
                "bbr-sidecar.json");
        Sidecar sidecar = Sidecar.parse(Files.readAllBytes(dir.resolve(Sidecar.FILE_NAME)));
        assertThat(sidecar.artifacts()).extracting(Sidecar.Artifact::file)
                .containsExactly("redis-1-redis-server.tar.zst.age");
        assertThat(sidecar.artifacts().get(0).plaintextBytes()).isEqualTo(1);
    }

    @Test
    void countsPlaintextBytesOfSingleAndBulkWrites() throws IOException {
        BackupDestination local = backups.store.createBackup("redis");
        AtRestDestination destination = new AtRestDestination(local, AtRestBackups.zstd(), backups.clock, "t", "r",
                "redis");
        ArtifactOutput out = destination.openArtifact(CUSTOM);
        out.write(1);
        out.write(new byte[100], 10, 50);
        out.flush();
        assertThat(out.bytesWritten()).isEqualTo(51);
        out.close();
        out.close(); // idempotent: recorded once
        destination.writeMetadata(BackupMetadata.empty());
        destination.markComplete();

        Sidecar sidecar = Sidecar.parse(Files.readAllBytes(Path.of(local.location()).resolve(Sidecar.FILE_NAME)));
        assertThat(sidecar.artifacts()).singleElement().satisfies(a -> {
            assertThat(a.file()).isEqualTo("redis-server-redis-backup-one-restore-all.tar.zst");
            assertThat(a.plaintextBytes()).isEqualTo(51);
        });
        try (InputStream in = AtRestBackups.zstd().decode(Files.newInputStream(Path.of(local.location())
                .resolve("redis-server-redis-backup-one-restore-all.tar.zst")), AgeIdentities.none())) {
            assertThat(in.readAllBytes()).hasSize(51).startsWith(1, 0, 0);
        }
    }

    @Test
    void theCodecNamesTheStoredFileSoNoOtherSuffixIsAccepted() throws IOException {
        AtRestDestination destination = new AtRestDestination(backups.store.createBackup("redis"),
                AtRestBackups.zstdAge(), backups.clock, "t", "r", "redis");

        assertThatThrownBy(() -> destination.openArtifact(REDIS_0, ".gz"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anArtifactIsWrittenOnce() throws IOException {
        AtRestDestination destination = new AtRestDestination(backups.store.createBackup("redis"),
                AtRestBackups.zstdAge(), backups.clock, "t", "r", "redis");
        destination.openArtifact(REDIS_0).close();

        assertThatThrownBy(() -> destination.openArtifact(REDIS_0)).isInstanceOf(IOException.class)
                .hasMessageContaining("redis-0-redis-server.tar.zst.age already exists");
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Passes every call to the store's destination; tests override what they watch. */
    private static class ForwardingDestination implements BackupDestination {
        private final BackupDestination delegate;

        ForwardingDestination(BackupDestination delegate) {
            this.delegate = delegate;
        }

        @Override
        public ArtifactOutput openArtifact(ArtifactId id, String storedSuffix) throws IOException {
            return delegate.openArtifact(id, storedSuffix);
        }

        @Override
        public void writeMetadata(BackupMetadata metadata) throws IOException {
            delegate.writeMetadata(metadata);
        }

        @Override
        public void writeFile(String name, byte[] content) throws IOException {
            delegate.writeFile(name, content);
        }

        @Override
        public void markComplete() throws IOException {
            delegate.markComplete();
        }

        @Override
        public void markFailed(String reason) throws IOException {
            delegate.markFailed(reason);
        }

        @Override
        public void discard() throws java.io.IOException {
            delegate.discard();
        }

        @Override
        public java.util.OptionalLong freeSpace() {
            return delegate.freeSpace();
        }

        @Override
        public String location() {
            return delegate.location();
        }
    }
}
