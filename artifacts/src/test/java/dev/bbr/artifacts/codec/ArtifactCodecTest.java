package dev.bbr.artifacts.codec;

import static dev.bbr.artifacts.codec.TestAgeKeys.ALICE;
import static dev.bbr.artifacts.codec.TestAgeKeys.ESCROW;
import static dev.bbr.artifacts.codec.TestAgeKeys.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ArtifactCodecTest {
    private static final AgeRecipients BOTH = AgeRecipients.parse(ALICE.publicKey(), ESCROW.publicKey());
    private static final ArtifactCodec ZSTD_AGE = ArtifactCodec.of(Compression.zstd(3), BOTH);
    private static final ArtifactCodec AGE_ONLY = ArtifactCodec.of(Compression.NONE, BOTH);
    private static final int AGE_CHUNK = 64 * 1024 + 16;

    @ParameterizedTest
    @CsvSource({
        "none,   0, '',       plain",
        "zstd:3, 0, .zst,     zstd:3",
        "gzip,   0, .gz,      gzip",
        "none,   1, .age,     age (1 recipient)",
        "zstd:3, 2, .zst.age, zstd:3 + age (2 recipients)",
        "gzip,   1, .gz.age,  gzip + age (1 recipient)",
    })
    void suffixAndDescriptionFollowTheLayers(String compression, int recipientCount, String suffix, String described) {
        ArtifactCodec codec = ArtifactCodec.of(Compression.parse(compression),
                AgeRecipients.parse(BOTH.publicKeys().subList(0, recipientCount)));

        assertThat(codec.suffix()).isEqualTo(suffix);
        assertThat(codec.toString()).isEqualTo(described);
        assertThat(codec.isPlain()).isEqualTo(suffix.isEmpty());
        assertThat(codec.isEncrypted()).isEqualTo(recipientCount > 0);
    }

    @Test
    void plainIsTheIdentityOnBothSides() throws Exception {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(new byte[10]);

        assertThat(ArtifactCodec.of(Compression.NONE, AgeRecipients.none())).isSameAs(ArtifactCodec.PLAIN);
        assertThat(ArtifactCodec.PLAIN.encode(stored)).isSameAs(stored);
        assertThat(ArtifactCodec.PLAIN.decode(in, AgeIdentities.none())).isSameAs(in);
    }

    @Test
    void theRecordDescribesEnoughToDecodeAgain() throws Exception {
        CodecDescription description = ZSTD_AGE.describe();

        assertThat(description).isEqualTo(new CodecDescription("zstd:3", List.of(ALICE.publicKey(), ESCROW.publicKey())));
        assertThat(ArtifactCodec.fromDescription(description)).isEqualTo(ZSTD_AGE);
        assertThat(ArtifactCodec.fromDescription(new CodecDescription("none", List.of()))).isSameAs(ArtifactCodec.PLAIN);

        byte[] plain = TestData.bytes(300_000, 1);
        assertThat(decode(ArtifactCodec.fromDescription(description), encode(ZSTD_AGE, plain), ESCROW.identities()))
                .isEqualTo(plain);
    }

    static Stream<Arguments> codecs() {
        return Stream.of(
                Arguments.of(ArtifactCodec.of(Compression.zstd(3), AgeRecipients.none())),
                Arguments.of(ArtifactCodec.of(Compression.GZIP, AgeRecipients.none())),
                Arguments.of(ArtifactCodec.of(Compression.NONE, AgeRecipients.parse(ALICE.publicKey()))),
                Arguments.of(ArtifactCodec.of(Compression.GZIP, BOTH)),
                Arguments.of(ArtifactCodec.of(Compression.zstd(19), BOTH)),
                Arguments.of(ZSTD_AGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void roundTripsSmallAndEmptyContent(ArtifactCodec codec) throws Exception {
        for (int size : new int[] {0, 1, 511, AGE_CHUNK - 16, AGE_CHUNK - 15, 3 * AGE_CHUNK, 1 << 20}) {
            byte[] plain = TestData.bytes(size, size);

            assertThat(decode(codec, encode(codec, plain), ALICE.identities())).as("%d bytes", size).isEqualTo(plain);
        }
    }

    @Test
    void byteByByteWritesAndReadsGiveTheSameResult() throws Exception {
        byte[] plain = TestData.bytes(200_000, 3);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = ZSTD_AGE.encode(stored)) {
            for (byte b : plain) {
                out.write(b);
            }
        }
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        try (InputStream in = ZSTD_AGE.decode(new ByteArrayInputStream(stored.toByteArray()), ALICE.identities())) {
            int b;
            while ((b = in.read()) >= 0) {
                decoded.write(b);
            }
        }
        assertThat(decoded.toByteArray()).isEqualTo(plain);
    }

    @Test
    void eachRecipientCanDecryptAlone() throws Exception {
        byte[] plain = TestData.bytes(500_000, 2);
        byte[] stored = encode(ZSTD_AGE, plain);

        assertThat(decode(ZSTD_AGE, stored, ALICE.identities())).isEqualTo(plain);
        assertThat(decode(ZSTD_AGE, stored, ESCROW.identities())).isEqualTo(plain);
        assertThat(decode(ZSTD_AGE, stored, AgeIdentities.of(List.of(MALLORY.secretKey(), ESCROW.secretKey()))))
                .isEqualTo(plain);
    }

    @Test
    void storedBytesAreAgeWrappingZstdWithOneStanzaPerRecipient() throws Exception {
        byte[] plain = "tar records would be here ".repeat(1000).getBytes(StandardCharsets.US_ASCII);

        byte[] stored = encode(ZSTD_AGE, plain);
        String header = new String(stored, 0, Math.min(stored.length, 400), StandardCharsets.ISO_8859_1);

        assertThat(header).startsWith("age-encryption.org/v1\n-> X25519 ");
        assertThat(header.split("\n-> X25519 ", -1)).hasSize(3);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("tar records");
        assertThat(Arrays.copyOf(encode(ArtifactCodec.of(Compression.zstd(3), AgeRecipients.none()), plain), 4))
                .containsExactly(0x28, 0xb5, 0x2f, 0xfd);
        assertThat(Arrays.copyOf(encode(ArtifactCodec.of(Compression.GZIP, AgeRecipients.none()), plain), 2))
                .containsExactly(0x1f, 0x8b);
    }

    @Test
    void identitiesThatAreNotRecordedRecipientsAreRefusedBeforeReadingAnything() {
        CountingInputStream stored = new CountingInputStream(new ByteArrayInputStream(new byte[1000]));

        assertThatThrownBy(() -> ZSTD_AGE.decode(stored, MALLORY.identities()))
                .isInstanceOf(WrongIdentityException.class)
                .hasMessage("none of the given age identities (" + MALLORY.publicKey() + ") is a recipient of this artifact;"
                        + " it is encrypted to " + ALICE.publicKey() + ", " + ESCROW.publicKey());
        assertThat(stored.count).isZero();
    }

    @Test
    void noIdentityForAnEncryptedArtifactIsAWrongIdentity() {
        assertThatThrownBy(() -> ZSTD_AGE.decode(new ByteArrayInputStream(new byte[0]), AgeIdentities.none()))
                .isInstanceOf(WrongIdentityException.class)
                .hasMessage("the artifact is encrypted with age to " + ALICE.publicKey() + ", " + ESCROW.publicKey()
                        + " and no identity was given to decrypt it");
    }

    /** A record that names the wrong recipients (edited, or mixed up) must still not decrypt garbage. */
    @Test
    void aHeaderNoIdentityCanOpenIsAWrongIdentityEvenIfTheRecordSaysOtherwise() throws Exception {
        byte[] storedForMallory = encode(ArtifactCodec.of(Compression.zstd(3), AgeRecipients.parse(MALLORY.publicKey())),
                TestData.bytes(1000, 1));

        assertThatThrownBy(() -> ZSTD_AGE.decode(new ByteArrayInputStream(storedForMallory),
                AgeIdentities.of(List.of(ALICE.secretKey(), ESCROW.secretKey()))))
                .isInstanceOf(WrongIdentityException.class)
                .hasMessage("none of the given age identities (" + ALICE.publicKey() + ", " + ESCROW.publicKey()
                        + ") can decrypt this artifact: it was encrypted to other recipients");
        assertThatThrownBy(() -> ZSTD_AGE.decode(new ByteArrayInputStream(storedForMallory), ALICE.identities()))
                .isInstanceOf(WrongIdentityException.class);
    }

    static Stream<Arguments> truncations() {
        return Stream.of(
                Arguments.of("to nothing", (Cut) (stored, payload) -> 0),
                Arguments.of("inside the header", (Cut) (stored, payload) -> 30),
                Arguments.of("right after the header and nonce", (Cut) (stored, payload) -> payload),
                Arguments.of("at a chunk boundary", (Cut) (stored, payload) -> payload + 2 * AGE_CHUNK),
                Arguments.of("inside a chunk", (Cut) (stored, payload) -> payload + AGE_CHUNK + 1000),
                Arguments.of("by the last byte", (Cut) (stored, payload) -> stored.length - 1));
    }

    interface Cut {
        int at(byte[] stored, int payloadStart);
    }

    @ParameterizedTest(name = "truncated {0}")
    @MethodSource("truncations")
    void aTruncatedEncryptedArtifactIsReportedAsDamage(String where, Cut cut) throws Exception {
        byte[] stored = encode(AGE_ONLY, TestData.bytes(5 * AGE_CHUNK, 4));
        byte[] truncated = Arrays.copyOf(stored, cut.at(stored, payloadStart(stored)));

        assertThatThrownBy(() -> decode(AGE_ONLY, truncated, ALICE.identities()))
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessageMatching("(age-encrypted data failed authentication: the file is truncated or was modified"
                        + "|not a readable age file, or its header is damaged) \\(.+\\)");
    }

    @Test
    void truncationAtAChunkBoundaryIsCaughtByTheLastChunkFlag() throws Exception {
        byte[] stored = encode(AGE_ONLY, TestData.bytes(5 * AGE_CHUNK, 4));
        byte[] truncated = Arrays.copyOf(stored, payloadStart(stored) + 2 * AGE_CHUNK);

        assertThatThrownBy(() -> decode(AGE_ONLY, truncated, ALICE.identities()))
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessageStartingWith(AgeStreams.PAYLOAD_DAMAGED);
    }

    @Test
    void oneFlippedByteInTheCiphertextIsReportedAsDamage() throws Exception {
        byte[] stored = encode(ZSTD_AGE, TestData.bytes(1 << 20, 5));
        byte[] flipped = stored.clone();
        flipped[payloadStart(stored) + (stored.length - payloadStart(stored)) / 2] ^= 0x04;

        assertThatThrownBy(() -> decode(ZSTD_AGE, flipped, ALICE.identities()))
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessageStartingWith(AgeStreams.PAYLOAD_DAMAGED);
    }

    @Test
    void aModifiedHeaderFailsItsMacAndIsReportedAsDamage() throws Exception {
        byte[] stored = encode(ZSTD_AGE, TestData.bytes(1000, 5));
        byte[] flipped = stored.clone();
        int mac = new String(stored, StandardCharsets.ISO_8859_1).indexOf("\n--- ") + 10;
        flipped[mac] = (byte) (flipped[mac] == 'A' ? 'B' : 'A');

        assertThatThrownBy(() -> decode(ZSTD_AGE, flipped, ALICE.identities()))
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessageStartingWith(AgeStreams.HEADER_DAMAGED);
    }

    @Test
    void aPlainTarWhereAnAgeFileWasExpectedIsDamageNotAWrongKey() {
        assertThatThrownBy(() -> decode(ZSTD_AGE, TestData.bytes(10_000, 6), ALICE.identities()))
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessageStartingWith(AgeStreams.HEADER_DAMAGED);
    }

    @ParameterizedTest
    @CsvSource({"zstd:3, zstd", "gzip, gzip"})
    void truncatedOrFlippedCompressedDataIsReportedAsDamageOfThatLayer(String compression, String name) throws Exception {
        ArtifactCodec codec = ArtifactCodec.of(Compression.parse(compression), AgeRecipients.none());
        byte[] stored = encode(codec, TestData.bytes(1 << 20, 7));
        byte[] flipped = stored.clone();
        flipped[stored.length / 2] ^= 0x10;

        for (byte[] damaged : List.of(Arrays.copyOf(stored, stored.length - 10), Arrays.copyOf(stored, 5), flipped, new byte[0])) {
            assertThatThrownBy(() -> decode(codec, damaged, AgeIdentities.none()))
                    .isInstanceOf(CorruptArtifactException.class)
                    .hasMessageStartingWith(name + "-compressed data is truncated or corrupt (");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void aReadErrorOfTheStorageIsPassedOnUnchanged(ArtifactCodec codec) throws Exception {
        byte[] stored = encode(codec, TestData.bytes(1 << 20, 8));
        IOException diskError = new IOException("Input/output error");
        InputStream failing = new FailingInputStream(stored, stored.length / 2, diskError);

        assertThatThrownBy(() -> decode(codec, failing, ALICE.identities())).isSameAs(diskError);
    }

    @Test
    void closingCommitsTheStoredStreamOnlyAfterEveryLayerFinished() throws Exception {
        RecordingOutputStream stored = new RecordingOutputStream();
        OutputStream out = ZSTD_AGE.encode(stored);
        out.write(TestData.bytes(100_000, 9));
        stored.failWrites = new IOException("No space left on device");

        assertThatThrownBy(out::close).hasMessage("No space left on device");
        assertThat(stored.closed).as("a failed finish must leave the artifact to be aborted, not committed").isFalse();

        RecordingOutputStream good = new RecordingOutputStream();
        try (OutputStream ok = ZSTD_AGE.encode(good)) {
            ok.write(1);
        }
        assertThat(good.closed).isTrue();
    }

    @Test
    void writingAfterCloseFails() throws Exception {
        OutputStream out = ZSTD_AGE.encode(new ByteArrayOutputStream());
        out.close();
        out.close(); // idempotent

        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    /** The encoder hands bytes on as they come: what it holds back is bounded, not the artifact. */
    @Test
    void encodingStreamsInsteadOfBufferingTheArtifact() throws Exception {
        CountingOutputStream stored = new CountingOutputStream();
        OutputStream out = ZSTD_AGE.encode(stored);
        long plainSize = 32L << 20;
        TestData.stream(plainSize, 10).transferTo(out);
        long beforeClose = stored.count;
        out.close();

        assertThat(stored.count - beforeClose).as("bytes held back until close").isLessThan(1L << 20);
        assertThat(stored.count).isLessThan(plainSize * 3 / 5);
    }

    /** Reading the first MiB of plaintext must not consume the whole stored artifact. */
    @Test
    void decodingStreamsInsteadOfReadingTheArtifactFirst() throws Exception {
        byte[] stored = encode(ZSTD_AGE, TestData.bytes(24 << 20, 11));
        CountingInputStream source = new CountingInputStream(new ByteArrayInputStream(stored));

        try (InputStream in = ZSTD_AGE.decode(source, ALICE.identities())) {
            in.readNBytes(1 << 20);
            assertThat(source.count).isLessThan(2L << 20).isLessThan(stored.length / 4);
        }
    }

    private static int payloadStart(byte[] stored) {
        String head = new String(stored, 0, Math.min(stored.length, 2000), StandardCharsets.ISO_8859_1);
        int macLine = head.indexOf("\n--- ");
        return head.indexOf('\n', macLine + 1) + 1 + 16; // the header, then the 16-byte payload nonce
    }

    static byte[] encode(ArtifactCodec codec, byte[] plain) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = codec.encode(stored)) {
            out.write(plain);
        }
        return stored.toByteArray();
    }

    static byte[] decode(ArtifactCodec codec, byte[] stored, AgeIdentities identities) throws IOException {
        return decode(codec, new ByteArrayInputStream(stored), identities);
    }

    static byte[] decode(ArtifactCodec codec, InputStream stored, AgeIdentities identities) throws IOException {
        try (InputStream in = codec.decode(stored, identities)) {
            return in.readAllBytes();
        }
    }

    static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }

    static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Records close; once {@code failWrites} is set, every write and flush fails like a full disk. */
    static final class RecordingOutputStream extends OutputStream {
        IOException failWrites;
        boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failWrites != null) {
                throw failWrites;
            }
        }

        @Override
        public void flush() throws IOException {
            if (failWrites != null) {
                throw failWrites;
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Serves {@code content} up to {@code failAt}, then fails like a disk or a dropped connection. */
    static final class FailingInputStream extends InputStream {
        private final byte[] content;
        private final int failAt;
        private final IOException failure;
        private int pos;

        FailingInputStream(byte[] content, int failAt, IOException failure) {
            this.content = content;
            this.failAt = failAt;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= failAt) {
                throw failure;
            }
            int n = Math.min(len, failAt - pos);
            System.arraycopy(content, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
