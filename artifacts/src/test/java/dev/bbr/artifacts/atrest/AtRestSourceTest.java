package dev.bbr.artifacts.atrest;

import static dev.bbr.artifacts.atrest.AtRestBackups.CUSTOM;
import static dev.bbr.artifacts.atrest.AtRestBackups.REDIS_0;
import static dev.bbr.artifacts.atrest.AtRestBackups.REDIS_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.CorruptArtifactException;
import dev.bbr.artifacts.codec.TestAgeKeys;
import dev.bbr.artifacts.codec.WrongIdentityException;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.artifacts.validate.ArtifactValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtRestSourceTest {
    @TempDir
    Path tmp;

    AtRestBackups backups;

    @BeforeEach
    void setUp() throws IOException {
        backups = new AtRestBackups(tmp);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void decodesEveryArtifactBackToItsTar() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

        AtRestSource source = AtRestSource.open(backups.open(built), TestAgeKeys.ALICE.identities());

        assertThat(source.codec()).isEqualTo(AtRestBackups.zstdAge());
        assertThat(source.sidecar()).map(Sidecar::runId).contains("run-1");
        for (ArtifactId id : List.of(REDIS_0, REDIS_1, CUSTOM)) {
            assertThat(readAll(source.openArtifact(id))).isEqualTo(built.tars().get(id));
        }
        assertThat(new ArtifactValidator().validate(source)).isEmpty();
    }

    @Test
    void theEscrowKeyAloneOpensItToo() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

        AtRestSource source = AtRestSource.open(backups.open(built), TestAgeKeys.ESCROW.identities());

        assertThatCode(source::requireUsableIdentities).doesNotThrowAnyException();
        assertThat(readAll(source.openArtifact(REDIS_1))).isEqualTo(built.tars().get(REDIS_1));
    }

    @Test
    void readsTheStoresFilesAndMetadataUnchanged() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThat(source.readMetadata()).isEqualTo(built.metadata());
        assertThat(source.readFile(AtRestBackups.MANIFEST)).hasValue(AtRestBackups.MANIFEST_CONTENT);
        assertThat(source.readFile("nope.yml")).isEmpty();
        assertThat(source.incompleteReason()).isEmpty();
        assertThat(source.name()).isEqualTo(built.name()).isEqualTo("redis_20261207T020000Z");
        assertThat(source.location()).isEqualTo(built.dir().toString());
    }

    @Test
    void thePlaintextSizeComesFromTheSidecarAndTheStoredSizeFromTheStore() throws IOException {
        ArtifactCodec codec = AtRestBackups.zstdAge();
        AtRestBackups.Built built = backups.complete(codec);

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThat(source.plaintextSize(REDIS_0)).isEqualTo(built.tars().get(REDIS_0).length);
        assertThat(source.storedSize(REDIS_0, codec.suffix())).isEqualTo(Files.size(built.file(REDIS_0, codec)));
        assertThat(source.plaintextSize(REDIS_0)).isNotEqualTo(source.storedSize(REDIS_0, codec.suffix()));
    }

    @Test
    void thePlaintextSizeOfARecordedArtifactNeedsNoRequestToTheStore() throws IOException {
        ArtifactCodec codec = AtRestBackups.zstdAge();
        AtRestBackups.Built built = backups.complete(codec);
        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());
        Files.delete(built.file(REDIS_1, codec));

        assertThat(source.plaintextSize(REDIS_1)).isEqualTo(built.tars().get(REDIS_1).length);
    }

    @Test
    void anArtifactTheSidecarDoesNotListFallsBackToItsStoredSize() throws IOException {
        ArtifactCodec codec = AtRestBackups.zstdAge();
        AtRestBackups.Built built = backups.complete(codec);
        rewriteSidecar(built, json -> ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("artifacts")).remove(0));

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThat(source.plaintextSize(REDIS_0)).isEqualTo(Files.size(built.file(REDIS_0, codec)));
    }

    @Test
    void aGoBbrBackupIsReadAsItIs() throws IOException {
        AtRestBackups.Built built = backups.goBbr(true);

        AtRestSource source = AtRestSource.open(backups.open(built), TestAgeKeys.ALICE.identities());

        assertThat(source.sidecar()).isEmpty();
        assertThat(source.codec()).isSameAs(ArtifactCodec.PLAIN);
        assertThatCode(source::requireUsableIdentities).doesNotThrowAnyException();
        assertThat(readAll(source.openArtifact(REDIS_0))).isEqualTo(built.tars().get(REDIS_0));
        assertThat(readAll(source.openStored(CUSTOM))).isEqualTo(built.tars().get(CUSTOM));
        assertThat(source.plaintextSize(REDIS_1)).isEqualTo(built.tars().get(REDIS_1).length);
        assertThat(new ArtifactValidator().validate(source)).isEmpty();
    }

    @Test
    void aPlainBackupNeedsNoIdentity() throws IOException {
        AtRestBackups.Built built = backups.complete(ArtifactCodec.PLAIN);

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThatCode(source::requireUsableIdentities).doesNotThrowAnyException();
        assertThat(readAll(source.openArtifact(REDIS_0))).isEqualTo(built.tars().get(REDIS_0));
    }

    @Test
    void withoutAnIdentityAnEncryptedBackupIsRefusedNamingItsRecipients() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThatThrownBy(source::requireUsableIdentities)
                .isInstanceOf(WrongIdentityException.class)
                .hasMessage("the backup is encrypted with age to " + TestAgeKeys.ALICE.publicKey() + ", "
                        + TestAgeKeys.ESCROW.publicKey() + "; give the private key of one of them with --identity FILE");
    }

    @Test
    void aWrongIdentityIsRefusedNamingItAndTheRecipientsButNoSecret() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());

        AtRestSource source = AtRestSource.open(backups.open(built), TestAgeKeys.MALLORY.identities());

        assertThatThrownBy(source::requireUsableIdentities)
                .isInstanceOf(WrongIdentityException.class)
                .hasMessage("none of the identities given with --identity (" + TestAgeKeys.MALLORY.publicKey()
                        + ") is a recipient of this backup; it is encrypted with age to " + TestAgeKeys.ALICE.publicKey()
                        + ", " + TestAgeKeys.ESCROW.publicKey())
                .message().doesNotContain("AGE-SECRET-KEY");
        assertThatThrownBy(() -> readAll(source.openArtifact(REDIS_0))).isInstanceOf(WrongIdentityException.class);
    }

    @Test
    void oneMatchingIdentityAmongOthersIsEnough() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
        AgeIdentities both = AgeIdentities.of(List.of(TestAgeKeys.MALLORY.secretKey(), TestAgeKeys.ESCROW.secretKey()));

        AtRestSource source = AtRestSource.open(backups.open(built), both);

        assertThatCode(source::requireUsableIdentities).doesNotThrowAnyException();
        assertThat(readAll(source.openArtifact(CUSTOM))).isEqualTo(built.tars().get(CUSTOM));
    }

    @Test
    void aStoredFileThatDiffersFromTheSidecarFailsWhenRead() throws IOException {
        ArtifactCodec codec = AtRestBackups.zstd();
        AtRestBackups.Built built = backups.complete(codec);
        Path stored = built.file(REDIS_1, codec);
        AtRestBackups.flipByte(stored, -1); // zstd's frame checksum, or padding: the sidecar must catch it regardless

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThatThrownBy(() -> readAll(source.openStored(REDIS_1)))
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessageStartingWith("redis-1-redis-server.tar.zst does not match bbr-sidecar.json: "
                        + Files.size(stored) + " bytes with SHA-256 " + Digests.sha256(Files.readAllBytes(stored)));
    }

    @Test
    void aStoredFileReplacedByAnotherValidOneIsCaughtByTheSidecar() throws IOException {
        // the swap decodes perfectly: only the recorded SHA-256 can tell
        AtRestBackups.Built built = backups.complete(ArtifactCodec.PLAIN);
        Files.copy(built.dir().resolve("redis-1-redis-server.tar"), built.dir().resolve("redis-0-redis-server.tar"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        // strict (verify without a key): the read fails
        assertThatThrownBy(() -> readAll(source.openStored(REDIS_0)))
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessageStartingWith("redis-0-redis-server.tar does not match bbr-sidecar.json");
        // restore's read: recorded for the validator, which reports bbr's verdict on the contents first
        assertThat(source.storedFileMismatch(REDIS_0)).isEmpty();
        readAll(source.openArtifact(REDIS_0));
        assertThat(source.storedFileMismatch(REDIS_0)).hasValueSatisfying(m ->
                assertThat(m).startsWith("redis-0-redis-server.tar does not match bbr-sidecar.json"));
        assertThat(source.storedFileMismatch(REDIS_1)).isEmpty();
        assertThat(new ArtifactValidator().validate(source)).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("Backup is corrupted, checksum failed for"));
    }

    @Test
    void aChangedTarHeaderWithTheSameContentsIsCaughtByTheValidatorThroughTheSidecar() throws IOException {
        AtRestBackups.Built built = backups.complete(ArtifactCodec.PLAIN);
        Path tar = built.dir().resolve("redis-0-redis-server.tar");
        byte[] bytes = Files.readAllBytes(tar);
        // the first header's mode field (offset 100, octal digits): 0644 -> 0604; contents and checksums stay
        int mode = 100 + 4;
        bytes[mode] = (byte) (bytes[mode] == '4' ? '0' : '4');
        // keep the header checksum right so tar readers accept the entry
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (bytes[i] & 0xff);
        }
        byte[] field = String.format("%06o\0 ", sum).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(field, 0, bytes, 148, 8);
        Files.write(tar, bytes);

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThat(new ArtifactValidator().validate(source)).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(dev.bbr.artifacts.validate.ValidationProblem.Kind.STORED_FILE_MISMATCH);
            assertThat(p.message()).startsWith("Backup is corrupted, redis-0-redis-server.tar does not match"
                    + " bbr-sidecar.json");
        });
    }

    @Test
    void anArtifactNotListedInTheSidecarIsRefusedByTheStrictReadAndJudgedByContentsOnRestore() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
        rewriteSidecar(built, json -> ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("artifacts")).remove(0));

        AtRestSource source = AtRestSource.open(backups.open(built), TestAgeKeys.ALICE.identities());
        String unlisted = new ObjectMapper().readTree(Files.readAllBytes(built.dir().resolve("bbr-sidecar.json")))
                .toString();
        ArtifactId removed = List.of(REDIS_0, REDIS_1, CUSTOM).stream()
                .filter(id -> !unlisted.contains(dev.bbr.artifacts.store.BbrLayout.fileName(id, ".zst.age")))
                .findFirst().orElseThrow();
        String file = dev.bbr.artifacts.store.BbrLayout.fileName(removed, ".zst.age");

        assertThatThrownBy(() -> source.openStored(removed))
                .isInstanceOf(IOException.class)
                .hasMessage(file + " is not listed in bbr-sidecar.json");
        assertThat(readAll(source.openArtifact(removed))).isEqualTo(built.tars().get(removed));
        assertThat(source.storedFileMismatch(removed)).isEmpty();
    }

    @Test
    void aMissingArtifactIsNotFound() throws IOException {
        ArtifactCodec codec = AtRestBackups.zstdAge();
        AtRestBackups.Built built = backups.complete(codec);
        Files.delete(built.file(CUSTOM, codec));

        AtRestSource source = AtRestSource.open(backups.open(built), TestAgeKeys.ALICE.identities());

        assertThatThrownBy(() -> source.openArtifact(CUSTOM))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND))
                .hasMessageContaining("redis-server-redis-backup-one-restore-all.tar.zst.age: no such file or directory");
    }

    @Test
    void theCodecNamesTheStoredFileSoNoOtherSuffixIsAccepted() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThatThrownBy(() -> source.openArtifact(REDIS_0, ".zst.age")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedSidecarMakesTheBackupUnreadable() throws IOException {
        AtRestBackups.Built built = backups.complete(AtRestBackups.zstdAge());
        Files.writeString(built.dir().resolve(Sidecar.FILE_NAME), "{\"format\":1,");

        assertThatThrownBy(() -> AtRestSource.open(backups.open(built), AgeIdentities.none()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("bbr-sidecar.json is not valid");
    }

    @Test
    void anIncompleteBackupSaysWhy() throws IOException {
        AtRestBackups.Built built = backups.unfinished(AtRestBackups.zstdAge());

        AtRestSource source = AtRestSource.open(backups.open(built), AgeIdentities.none());

        assertThat(source.incompleteReason()).hasValueSatisfying(r -> assertThat(r).startsWith("in-progress: "));
    }

    static void rewriteSidecar(AtRestBackups.Built built, java.util.function.Consumer<ObjectNode> edit)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path file = built.dir().resolve(Sidecar.FILE_NAME);
        ObjectNode node = (ObjectNode) json.readTree(Files.readAllBytes(file));
        edit.accept(node);
        Files.write(file, json.writeValueAsBytes(node));
    }
}
