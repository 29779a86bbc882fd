package dev.bbr.artifacts.codec;

import static dev.bbr.artifacts.codec.TestAgeKeys.ALICE;
import static dev.bbr.artifacts.codec.TestAgeKeys.ESCROW;
import static dev.bbr.artifacts.codec.TestAgeKeys.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.testsupport.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator without bbr can do with our artifacts, and what we can read from theirs, checked with
 * Debian's {@code age}, {@code zstd} and {@code gzip}: {@code age -d -i key.txt X.tar.zst.age | zstd -d}.
 */
class AgeCliInteropTest {
    private static final long LARGE = 64L << 20;
    private static final long SEED = 42;
    private static String largeSha256;

    @TempDir
    Path dir;
    private Path aliceKey;
    private Path escrowKey;
    private Path malloryKey;

    @BeforeAll
    static void tools() throws IOException {
        CodecTools.require("age", "age-keygen", "zstd", "gzip", "sha256sum");
        largeSha256 = TestData.sha256(TestData.stream(LARGE, SEED));
    }

    @BeforeEach
    void keys() throws IOException {
        aliceKey = ALICE.writeIdentityFile(dir.resolve("alice.txt"));
        escrowKey = ESCROW.writeIdentityFile(dir.resolve("escrow.txt"));
        malloryKey = MALLORY.writeIdentityFile(dir.resolve("mallory.txt"));
    }

    @Test
    void javaZstdAgeWithTwoRecipientsOpensWithAgeAndZstdUsingEitherKey() throws Exception {
        ArtifactCodec codec = ArtifactCodec.of(Compression.zstd(3), AgeRecipients.parse(ALICE.publicKey(), ESCROW.publicKey()));
        Path artifact = encodeToFile(codec, TestData.stream(LARGE, SEED), "redis.tar" + codec.suffix());

        assertThat(artifact.getFileName().toString()).isEqualTo("redis.tar.zst.age");
        assertThat(Files.size(artifact)).isLessThan(LARGE * 3 / 5);
        for (Path key : List.of(aliceKey, escrowKey)) {
            assertThat(sha256Of("age -d -i " + q(key) + " " + q(artifact) + " | zstd -d -q -c")).as("with %s", key)
                    .isEqualTo(largeSha256);
        }
    }

    @Test
    void ageRefusesOurArtifactWithAKeyThatIsNotARecipient() throws Exception {
        Path artifact = encodeToFile(ArtifactCodec.of(Compression.zstd(3), AgeRecipients.parse(ALICE.publicKey())),
                TestData.stream(10_000, 1), "a.tar.zst.age");

        assertThatThrownBy(() -> Shell.bash("age -d -i " + q(malloryKey) + " " + q(artifact) + " > /dev/null"))
                .hasMessageContaining("no identity matched any of the recipients");
    }

    @Test
    void javaZstdAloneOpensWithZstd() throws Exception {
        Path artifact = encodeToFile(ArtifactCodec.of(Compression.zstd(3), AgeRecipients.none()), TestData.stream(LARGE, SEED), "a.tar.zst");

        assertThat(sha256Of("zstd -d -q -c " + q(artifact))).isEqualTo(largeSha256);
    }

    @Test
    void cliZstdPipedThroughAgeDecodesInJava() throws Exception {
        Path plain = TestData.file(dir.resolve("plain.tar"), LARGE, SEED);
        Path artifact = dir.resolve("cli.tar.zst.age");
        Shell.bash("zstd -3 -q -c " + q(plain) + " | age -r " + ALICE.publicKey() + " -r " + ESCROW.publicKey() + " > " + q(artifact));
        ArtifactCodec recorded = ArtifactCodec.of(Compression.zstd(3), AgeRecipients.parse(ALICE.publicKey(), ESCROW.publicKey()));

        assertThat(decodedSha256(recorded, artifact, AgeIdentities.readFile(escrowKey))).isEqualTo(largeSha256);
        assertThat(decodedSha256(recorded, artifact, AgeIdentities.readFile(aliceKey))).isEqualTo(largeSha256);
    }

    @Test
    void cliArtifactForSomeoneElseIsRefusedAsWrongIdentity() throws Exception {
        Path artifact = dir.resolve("m.tar.zst.age");
        Shell.bash("head -c 100000 /dev/urandom | zstd -q -c | age -r " + MALLORY.publicKey() + " > " + q(artifact));

        ArtifactCodec honestRecord = ArtifactCodec.of(Compression.zstd(3), AgeRecipients.parse(MALLORY.publicKey()));
        assertThatThrownBy(() -> decodedSha256(honestRecord, artifact, AgeIdentities.readFile(aliceKey)))
                .isInstanceOf(WrongIdentityException.class)
                .hasMessageContaining("is a recipient of this artifact");
        // the header itself, checked when the record is wrong or missing
        ArtifactCodec wrongRecord = ArtifactCodec.of(Compression.zstd(3), AgeRecipients.parse(ALICE.publicKey()));
        assertThatThrownBy(() -> decodedSha256(wrongRecord, artifact, AgeIdentities.readFile(aliceKey)))
                .isInstanceOf(WrongIdentityException.class)
                .hasMessageContaining("can decrypt this artifact");
    }

    @Test
    void truncatedOrFlippedCliArtifactsAreDamage() throws Exception {
        Path plain = TestData.file(dir.resolve("plain.tar"), 4L << 20, 3);
        Path artifact = dir.resolve("cli.tar.zst.age");
        Shell.bash("zstd -3 -q -c " + q(plain) + " | age -r " + ALICE.publicKey() + " > " + q(artifact));
        byte[] stored = Files.readAllBytes(artifact);
        ArtifactCodec codec = ArtifactCodec.of(Compression.zstd(3), AgeRecipients.parse(ALICE.publicKey()));

        Path truncated = Files.write(dir.resolve("truncated"), java.util.Arrays.copyOf(stored, stored.length - 1000));
        byte[] flippedBytes = stored.clone();
        flippedBytes[stored.length * 2 / 3] ^= 0x01;
        Path flipped = Files.write(dir.resolve("flipped"), flippedBytes);

        for (Path damaged : List.of(truncated, flipped)) {
            assertThatThrownBy(() -> decodedSha256(codec, damaged, ALICE.identities()))
                    .as(damaged.getFileName().toString())
                    .isInstanceOf(CorruptArtifactException.class)
                    .hasMessageStartingWith(AgeStreams.PAYLOAD_DAMAGED);
            // age agrees that the file is damaged
            assertThatThrownBy(() -> Shell.bash("age -d -i " + q(aliceKey) + " " + q(damaged) + " > /dev/null"))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void javaGzipOpensWithGunzipAndCliGzipThroughAgeDecodesInJava() throws Exception {
        long size = 16L << 20;
        String sha = TestData.sha256(TestData.stream(size, 7));
        Path ours = encodeToFile(ArtifactCodec.of(Compression.GZIP, AgeRecipients.none()), TestData.stream(size, 7), "a.tar.gz");
        Path oursEncrypted = encodeToFile(ArtifactCodec.of(Compression.GZIP, AgeRecipients.parse(ESCROW.publicKey())),
                TestData.stream(size, 7), "a.tar.gz.age");

        assertThat(sha256Of("gunzip -c " + q(ours))).isEqualTo(sha);
        assertThat(sha256Of("age -d -i " + q(escrowKey) + " " + q(oursEncrypted) + " | gunzip -c")).isEqualTo(sha);

        Path plain = TestData.file(dir.resolve("plain.tar"), size, 7);
        Path theirs = dir.resolve("cli.tar.gz.age");
        Shell.bash("gzip -c " + q(plain) + " | age -r " + ALICE.publicKey() + " > " + q(theirs));
        ArtifactCodec recorded = ArtifactCodec.of(Compression.GZIP, AgeRecipients.parse(ALICE.publicKey()));
        assertThat(decodedSha256(recorded, theirs, AgeIdentities.readFile(aliceKey))).isEqualTo(sha);
    }

    @Test
    void derivedPublicKeysMatchAgeKeygenForFreshKeys() throws Exception {
        for (int i = 0; i < 3; i++) {
            Path key = dir.resolve("fresh" + i + ".txt");
            Shell.bash("age-keygen -o " + q(key) + " 2>/dev/null");
            String expected = new String(Shell.bash("age-keygen -y " + q(key)), StandardCharsets.US_ASCII).strip();

            assertThat(AgeIdentities.readFile(key).publicKeys()).containsExactly(expected);
        }
    }

    @Test
    void ageAgreesWithOurReadingOfRecipientsFiles() throws Exception {
        Path good = Files.writeString(dir.resolve("good.txt"),
                "# customer\n" + ALICE.publicKey() + "\n\n# escrow\n" + ESCROW.publicKey() + "\n");
        Path bad = Files.writeString(dir.resolve("bad.txt"), ALICE.publicKey() + "\nage1notakey\n");

        assertThat(AgeRecipients.readFile(good).publicKeys()).containsExactly(ALICE.publicKey(), ESCROW.publicKey());
        Shell.bash("echo hi | age -R " + q(good) + " > /dev/null");
        assertThatThrownBy(() -> AgeRecipients.readFile(bad)).hasMessageContaining(" line 2: 'age1notakey'");
        assertThatThrownBy(() -> Shell.bash("echo hi | age -R " + q(bad) + " > /dev/null")).hasMessageContaining("line 2");
    }

    private Path encodeToFile(ArtifactCodec codec, InputStream plain, String name) throws IOException {
        Path artifact = dir.resolve(name);
        try (InputStream in = plain; OutputStream out = codec.encode(Files.newOutputStream(artifact))) {
            in.transferTo(out);
        }
        return artifact;
    }

    private static String decodedSha256(ArtifactCodec codec, Path artifact, AgeIdentities identities) throws IOException {
        return TestData.sha256(codec.decode(Files.newInputStream(artifact), identities));
    }

    private static String sha256Of(String pipeline) throws IOException {
        String out = new String(Shell.bash("set -o pipefail; " + pipeline + " | sha256sum"), StandardCharsets.US_ASCII);
        return out.substring(0, 64);
    }

    private static String q(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
