package dev.bbr.artifacts.atrest;

import static dev.bbr.artifacts.atrest.AtRestBackups.CUSTOM;
import static dev.bbr.artifacts.atrest.AtRestBackups.REDIS_0;
import static dev.bbr.artifacts.atrest.AtRestBackups.REDIS_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbr.artifacts.atrest.VerifyResult.Verdict;
import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.TestAgeKeys;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.IncompleteMarker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupInspectorTest {
    private static final Instant NAMED = Instant.parse("2026-12-07T02:00:00Z");
    /** redis/0 has two files, redis/1 one, the custom artifact one. */
    private static final int FILES = 4;

    @TempDir
    Path tmp;

    AtRestBackups backups;

    @BeforeEach
    void setUp() throws IOException {
        backups = new AtRestBackups(tmp);
    }

    private static long storedSize(AtRestBackups.Built built, ArtifactCodec codec) throws IOException {
        long total = 0;
        for (ArtifactId id : List.of(REDIS_0, REDIS_1, CUSTOM)) {
            total += Files.size(built.file(id, codec));
        }
        return total;
    }

    private BackupSummary summarize(AtRestBackups.Built built) throws IOException {
        return BackupInspector.summarize(backups.open(built));
    }

    private VerifyResult verify(AtRestBackups.Built built, AgeIdentities identities) throws IOException {
        return BackupInspector.verify(backups.open(built), identities);
    }

    @Nested
    class Summarize {
        @Test
        void aCompleteBackupWithItsCodecAndStoredSize() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

            BackupSummary summary = summarize(built);

            assertThat(summary).isEqualTo(new BackupSummary("redis_20261207T020000Z", "redis", NAMED,
                    AtRestBackups.sidecarOf(built).storedBytes(), BackupState.COMPLETE, "zstd:3 + age (2 recipients)",
                    ""));
            assertThat(summary.storedBytes()).isEqualTo(storedSize(built, AtRestBackups.zstdAge())
                    + Files.size(built.dir().resolve("metadata")) + AtRestBackups.MANIFEST_CONTENT.length);
        }

        @Test
        void aPlainBackupOfOursIsPlain() throws IOException {
            BackupSummary summary = summarize(backups.complete(ArtifactCodec.PLAIN));

            assertThat(summary.codec()).isEqualTo("plain");
            assertThat(summary.state()).isEqualTo(BackupState.COMPLETE);
        }

        @Test
        void anUnfinishedRunIsIncompleteWithTheMarkersReason() throws IOException {
            BackupSummary summary = summarize(backups.unfinished(AtRestBackups.zstdAge()));

            assertThat(summary.state()).isEqualTo(BackupState.INCOMPLETE);
            assertThat(summary.detail())
                    .isEqualTo("in-progress: backup still running (or the process died before finishing)");
        }

        @Test
        void aFailedRunIsIncompleteWithItsReason() throws IOException {
            BackupDestination dest = new AtRestDestination(backups.store.createBackup("redis"),
                    AtRestBackups.zstdAge(), backups.clock, "t", "r", "redis");
            dest.writeMetadata(BackupMetadata.empty());
            dest.markFailed("redis/0: backup script exited 1");

            BackupSummary summary = BackupInspector.summarize(backups.store.open("redis_20261207T020000Z"));

            assertThat(summary.state()).isEqualTo(BackupState.INCOMPLETE);
            assertThat(summary.detail()).isEqualTo("failed: redis/0: backup script exited 1");
        }

        @Test
        void aSidecarWithTheMarkerStillThereIsIncomplete() throws IOException {
            // the run wrote the sidecar and died before removing the marker
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            Files.write(built.dir().resolve(IncompleteMarker.FILE_NAME), IncompleteMarker.inProgress(NAMED));

            assertThat(summarize(built).state()).isEqualTo(BackupState.INCOMPLETE);
        }

        @Test
        void aVerifiedBackupSaysWhen() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            backups.store.annotate(built.name(), Verified.FILE_NAME,
                    new Verified("2026-12-08T10:00:00Z", "t", 3, FILES).toJson());

            BackupSummary summary = summarize(built);

            assertThat(summary.state()).isEqualTo(BackupState.VERIFIED);
            assertThat(summary.detail()).isEqualTo("verified 2026-12-08T10:00:00Z");
        }

        @Test
        void aDamagedVerifiedRecordCountsAsNotVerified() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            backups.store.annotate(built.name(), Verified.FILE_NAME, "{\"verified_at\":".getBytes(StandardCharsets.UTF_8));

            BackupSummary summary = summarize(built);

            assertThat(summary.state()).isEqualTo(BackupState.COMPLETE);
            assertThat(summary.detail()).isEmpty();
        }

        @Test
        void aVerifiedRecordThatIsJsonNullCountsAsNotVerified() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            backups.store.annotate(built.name(), Verified.FILE_NAME, "null".getBytes(StandardCharsets.UTF_8));

            assertThat(summarize(built).state()).isEqualTo(BackupState.COMPLETE);
        }

        @Test
        void aFinishedGoBbrBackupIsCompleteWithItsTarSizes() throws IOException {
            AtRestBackups.Built built = backups.goBbr(true);

            BackupSummary summary = summarize(built);

            assertThat(summary).isEqualTo(new BackupSummary("redis_20261207T020000Z", "redis", NAMED,
                    storedSize(built, ArtifactCodec.PLAIN), BackupState.COMPLETE, "plain (Go bbr)", ""));
            assertThat(summary.storedBytes()).isEqualTo(built.tars().values().stream().mapToLong(t -> t.length).sum());
        }

        @Test
        void aGoBbrBackupWithoutFinishTimeIsIncomplete() throws IOException {
            BackupSummary summary = summarize(backups.goBbr(false));

            assertThat(summary.state()).isEqualTo(BackupState.INCOMPLETE);
            assertThat(summary.detail()).isEqualTo("no bbr-sidecar.json and no finish time in the metadata");
        }

        @Test
        void aGoBbrBackupWithUnreadableMetadataIsIncomplete() throws IOException {
            AtRestBackups.Built built = backups.goBbr(true);
            Files.writeString(built.dir().resolve("metadata"), "instances: [ {");

            BackupSummary summary = summarize(built);

            assertThat(summary.state()).isEqualTo(BackupState.INCOMPLETE);
            assertThat(summary.storedBytes()).isZero();
        }

        @Test
        void aDamagedSidecarIsIncompleteAndSaysWhy() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            Files.writeString(built.dir().resolve(Sidecar.FILE_NAME), "{\"format\": 1, \"codec\": ");

            BackupSummary summary = summarize(built);

            assertThat(summary.state()).isEqualTo(BackupState.INCOMPLETE);
            assertThat(summary.codec()).isEqualTo("?");
            assertThat(summary.detail()).startsWith("bbr-sidecar.json is not valid: ");
            assertThat(summary.deployment()).isEqualTo("redis");
            assertThat(summary.time()).isEqualTo(NAMED);
        }

        @Test
        void aSidecarWithAnUnknownCodecIsReportedNotThrown() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            AtRestSourceTest.rewriteSidecar(built, json -> ((ObjectNode) json.get("codec")).put("compression", "lzma"));

            BackupSummary summary = summarize(built);

            assertThat(summary.state()).isEqualTo(BackupState.INCOMPLETE);
            assertThat(summary.codec()).isEqualTo("?");
            assertThat(summary.detail()).contains("bbr-sidecar.json").contains("lzma");
        }

        @Test
        void aDirectoryNotNamedByBbrIsShownByItsName() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            Files.move(built.dir(), built.dir().resolveSibling("redis-before-upgrade"));

            BackupSummary summary = BackupInspector.summarize(backups.store.open("redis-before-upgrade"));

            assertThat(summary.name()).isEqualTo("redis-before-upgrade");
            assertThat(summary.deployment()).isEqualTo("redis-before-upgrade");
            assertThat(summary.time()).isEqualTo(Instant.EPOCH);
            assertThat(summary.state()).isEqualTo(BackupState.COMPLETE);
        }
    }

    @Nested
    class Verify {
        @Test
        void anEncryptedBackupWithARecipientsKeyIsVerifiedInFull() throws IOException {
            ArtifactCodec codec = AtRestBackups.zstdAge();
            AtRestBackups.Built built = backups.complete(codec);

            VerifyResult result = verify(built, TestAgeKeys.ALICE.identities());

            assertThat(result).isEqualTo(new VerifyResult(built.name(), Verdict.VERIFIED, List.of(), 3, FILES,
                    storedSize(built, codec)));
            assertThat(result.passed()).isTrue();
        }

        @Test
        void verifyNeverWritesIntoTheBackup() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            Map<String, String> before = snapshot(built.dir());

            verify(built, TestAgeKeys.ESCROW.identities());
            verify(built, AgeIdentities.none());

            assertThat(snapshot(built.dir())).isEqualTo(before);
        }

        @Test
        void withoutAKeyOnlyTheStoredFilesAreChecked() throws IOException {
            ArtifactCodec codec = AtRestBackups.zstdAge();
            AtRestBackups.Built built = backups.complete(codec);

            VerifyResult result = verify(built, AgeIdentities.none());

            assertThat(result).isEqualTo(new VerifyResult(built.name(), Verdict.STORED_FILES_OK, List.of(), 3, 0,
                    storedSize(built, codec)));
            assertThat(result.passed()).isTrue();
        }

        @Test
        void aKeyThatIsNoRecipientIsAWrongIdentityNamingTheRecipients() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

            VerifyResult result = verify(built, TestAgeKeys.MALLORY.identities());

            assertThat(result.verdict()).isEqualTo(Verdict.WRONG_IDENTITY);
            assertThat(result.passed()).isFalse();
            assertThat(result.files()).isZero();
            assertThat(result.problems()).singleElement().asString()
                    .contains(TestAgeKeys.MALLORY.publicKey())
                    .contains(TestAgeKeys.ALICE.publicKey())
                    .contains(TestAgeKeys.ESCROW.publicKey())
                    .doesNotContain("AGE-SECRET-KEY");
        }

        @Test
        void anUnencryptedCompressedBackupIsVerifiedInFullWithoutAKey() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstd());

            VerifyResult result = verify(built, AgeIdentities.none());

            assertThat(result.verdict()).isEqualTo(Verdict.VERIFIED);
            assertThat(result.files()).isEqualTo(FILES);
        }

        @Test
        void aFlippedByteInAnEncryptedArtifactFailsTheFullCheck() throws IOException {
            ArtifactCodec codec = AtRestBackups.zstdAge();
            AtRestBackups.Built built = backups.complete(codec);
            AtRestBackups.flipByte(built.file(REDIS_0, codec), -20);

            VerifyResult result = verify(built, TestAgeKeys.ALICE.identities());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.passed()).isFalse();
            assertThat(result.files()).isZero();
            assertThat(result.problems()).singleElement().asString().contains("redis-0-redis-server.tar");
        }

        @Test
        void aFlippedByteInAnEncryptedArtifactFailsTheKeylessCheck() throws IOException {
            ArtifactCodec codec = AtRestBackups.zstdAge();
            AtRestBackups.Built built = backups.complete(codec);
            AtRestBackups.flipByte(built.file(REDIS_1, codec), 200);

            VerifyResult result = verify(built, AgeIdentities.none());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).singleElement().asString()
                    .startsWith("redis-1-redis-server.tar.zst.age does not match bbr-sidecar.json: ");
        }

        @Test
        void aFlippedByteInAPlainArtifactOfOursFails() throws IOException {
            AtRestBackups.Built built = backups.complete(ArtifactCodec.PLAIN);
            // a padding byte of a directory's header: the tar parser does not notice, the recorded SHA-256 does
            AtRestBackups.flipByte(built.dir().resolve("redis-0-redis-server.tar"), 600);

            VerifyResult result = verify(built, AgeIdentities.none());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).singleElement().asString()
                    .contains("redis-0-redis-server.tar does not match bbr-sidecar.json");
        }

        @Test
        void aTruncatedArtifactFailsBothChecks() throws IOException {
            ArtifactCodec codec = AtRestBackups.zstdAge();
            AtRestBackups.Built built = backups.complete(codec);
            Path file = built.file(CUSTOM, codec);
            long recorded = Files.size(file);
            AtRestBackups.truncate(file, 17);

            VerifyResult deep = verify(built, TestAgeKeys.ESCROW.identities());
            VerifyResult keyless = verify(built, AgeIdentities.none());

            assertThat(deep.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(deep.problems()).singleElement().asString()
                    .contains("redis-server-redis-backup-one-restore-all.tar");
            assertThat(keyless.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(keyless.problems()).singleElement().asString()
                    .contains((recorded - 17) + " bytes with SHA-256 ")
                    .contains("recorded " + recorded + " bytes");
            assertThat(keyless.storedBytes()).isEqualTo(storedSize(built, codec));
        }

        @Test
        void aTamperedArtifactRecordInTheSidecarFails() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            AtRestSourceTest.rewriteSidecar(built, json -> ((ObjectNode) json.get("artifacts").get(1))
                    .put("stored_sha256", "0".repeat(64)));

            VerifyResult deep = verify(built, TestAgeKeys.ALICE.identities());
            VerifyResult keyless = verify(built, AgeIdentities.none());

            assertThat(deep.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(deep.problems()).singleElement().asString().contains("redis-1-redis-server.tar.zst.age")
                    .contains("recorded");
            assertThat(keyless.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(keyless.problems()).singleElement().asString()
                    .startsWith("redis-1-redis-server.tar.zst.age does not match bbr-sidecar.json")
                    .endsWith("recorded " + Files.size(built.file(REDIS_1, AtRestBackups.zstdAge()))
                            + " bytes with SHA-256 " + "0".repeat(64));
        }

        @Test
        void aTamperedMetadataRecordInTheSidecarFails() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            AtRestSourceTest.rewriteSidecar(built, json -> ((ObjectNode) json.get("files").get(0))
                    .put("sha256", "1".repeat(64)));

            VerifyResult result = verify(built, TestAgeKeys.ALICE.identities());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).singleElement().asString()
                    .startsWith("metadata does not match bbr-sidecar.json (it was changed after the backup)");
        }

        @Test
        void aSidecarThatNoLongerRecordsTheMetadataFails() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            AtRestSourceTest.rewriteSidecar(built, json -> ((ArrayNode) json.get("files")).remove(0));

            VerifyResult result = verify(built, AgeIdentities.none());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).containsExactly("metadata is not recorded in bbr-sidecar.json");
        }

        @Test
        void aDamagedSidecarFails() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            Files.writeString(built.dir().resolve(Sidecar.FILE_NAME), "garbage");

            VerifyResult result = verify(built, TestAgeKeys.ALICE.identities());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).singleElement().asString().startsWith("bbr-sidecar.json is not valid: ");
        }

        @Test
        void aSidecarWithAnUnknownCodecFailsInsteadOfThrowing() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            AtRestSourceTest.rewriteSidecar(built, json -> ((ObjectNode) json.get("codec")).putArray("recipients")
                    .add("age1-not-a-key"));

            VerifyResult result = verify(built, TestAgeKeys.ALICE.identities());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).singleElement().asString().contains("bbr-sidecar.json");
        }

        @Test
        void tamperedMetadataFailsAgainstTheSidecar() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            Path metadata = built.dir().resolve("metadata");
            String original = Files.readString(metadata);
            String checksum = built.metadata().instanceArtifact("redis", "1", "redis-server").orElseThrow()
                    .checksums().get("./redis-server/dump.rdb");
            String tampered = original.replace(checksum, "f".repeat(64));
            assertThat(tampered).isNotEqualTo(original);
            Files.writeString(metadata, tampered);

            for (AgeIdentities identities : List.of(TestAgeKeys.ALICE.identities(), AgeIdentities.none())) {
                VerifyResult result = verify(built, identities);

                assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
                assertThat(result.problems()).singleElement().asString()
                        .isEqualTo("metadata does not match bbr-sidecar.json (it was changed after the backup): SHA-256 "
                                + Digests.sha256(tampered.getBytes(StandardCharsets.UTF_8)) + ", recorded "
                                + Digests.sha256(original.getBytes(StandardCharsets.UTF_8)));
            }
        }

        @Test
        void aMissingArtifactFails() throws IOException {
            ArtifactCodec codec = AtRestBackups.zstdAge();
            AtRestBackups.Built built = backups.complete(codec);
            Path missing = built.file(REDIS_1, codec);
            Files.delete(missing);

            for (AgeIdentities identities : List.of(TestAgeKeys.ALICE.identities(), AgeIdentities.none())) {
                VerifyResult result = verify(built, identities);

                assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
                assertThat(result.artifacts()).isEqualTo(3);
                assertThat(result.problems()).containsExactly("open " + missing + ": no such file or directory");
            }
        }

        @Test
        void anIncompleteBackupFailsWithoutReadingIt() throws IOException {
            AtRestBackups.Built built = backups.unfinished(AtRestBackups.zstdAge());

            VerifyResult result = verify(built, TestAgeKeys.ALICE.identities());

            assertThat(result).isEqualTo(new VerifyResult(built.name(), Verdict.FAILED, List.of(
                    "the backup is incomplete: in-progress: backup still running (or the process died before finishing)"),
                    0, 0, 0));
        }

        @Test
        void aCompleteBackupWhoseMarkerReappearedFails() throws IOException {
            AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
            Files.write(built.dir().resolve(IncompleteMarker.FILE_NAME),
                    IncompleteMarker.failed("operator marked it bad", NAMED));

            VerifyResult result = verify(built, TestAgeKeys.ALICE.identities());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).containsExactly("the backup is incomplete: failed: operator marked it bad");
        }

        @Test
        void aGoBbrBackupIsVerifiedAgainstItsMetadata() throws IOException {
            AtRestBackups.Built built = backups.goBbr(true);

            for (AgeIdentities identities : List.of(AgeIdentities.none(), TestAgeKeys.MALLORY.identities())) {
                VerifyResult result = verify(built, identities);

                assertThat(result).isEqualTo(new VerifyResult(built.name(), Verdict.VERIFIED, List.of(), 3, FILES,
                        storedSize(built, ArtifactCodec.PLAIN)));
            }
        }

        @Test
        void aCorruptGoBbrBackupFailsWithBbrsMessage() throws IOException {
            AtRestBackups.Built built = backups.goBbr(true);
            // tar: "./" at 0, "./redis-server/" at 512, the dump's header at 1024, its content at 1536
            AtRestBackups.flipByte(built.dir().resolve("redis-1-redis-server.tar"), 1536);

            VerifyResult result = verify(built, AgeIdentities.none());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.files()).isZero();
            assertThat(result.problems()).singleElement().asString()
                    .startsWith("Backup is corrupted, checksum failed for redis/1 redis-server");
        }

        @Test
        void aGoBbrBackupWithAMissingTarFails() throws IOException {
            AtRestBackups.Built built = backups.goBbr(true);
            Files.delete(built.dir().resolve("redis-0-redis-server.tar"));

            VerifyResult result = verify(built, AgeIdentities.none());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).singleElement().asString()
                    .endsWith("redis-0-redis-server.tar: no such file or directory");
        }

        @Test
        void unreadableMetadataFails() throws IOException {
            AtRestBackups.Built built = backups.goBbr(true);
            Files.delete(built.dir().resolve("metadata"));

            VerifyResult result = verify(built, AgeIdentities.none());

            assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
            assertThat(result.problems()).singleElement().asString().contains("metadata: no such file or directory");
        }
    }

    private static Map<String, String> snapshot(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(java.util.stream.Collectors.toMap(p -> p.getFileName().toString(), p -> {
                try {
                    return Digests.sha256(Files.readAllBytes(p)) + Files.getLastModifiedTime(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
    }
}
