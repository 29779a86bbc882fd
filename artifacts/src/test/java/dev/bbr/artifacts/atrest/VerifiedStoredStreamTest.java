package dev.bbr.artifacts.atrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.codec.CorruptArtifactException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class VerifiedStoredStreamTest {
    private static final byte[] DATA = data(20_000);
    private static final String SHA = Digests.sha256(DATA);
    private static final String FILE = "redis-0-redis-server.tar.zst.age";

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static VerifiedStoredStream stream(byte[] stored, long expectedBytes, String expectedSha) {
        return new VerifiedStoredStream(new ByteArrayInputStream(stored), FILE, expectedBytes, expectedSha);
    }

    @Test
    void passesTheStoredBytesThroughUnchangedWhenTheyMatch() throws IOException {
        try (VerifiedStoredStream in = stream(DATA, DATA.length, SHA)) {
            assertThat(in.readAllBytes()).isEqualTo(DATA);
        }
    }

    @Test
    void singleByteReadsAreCheckedToo() throws IOException {
        byte[] flipped = DATA.clone();
        flipped[100] ^= 1;
        VerifiedStoredStream in = stream(flipped, DATA.length, SHA);
        for (int i = 0; i < DATA.length; i++) {
            assertThat(in.read()).isNotNegative();
        }

        assertThatThrownBy(in::read).isInstanceOf(CorruptArtifactException.class).hasMessageContaining(FILE);
    }

    @Test
    void aModifiedByteFailsAtTheEndNamingTheFileAndBothDigests() {
        byte[] flipped = DATA.clone();
        flipped[DATA.length / 2] ^= 1;
        String actual = Digests.sha256(flipped);

        assertThatThrownBy(() -> stream(flipped, DATA.length, SHA).readAllBytes())
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessage(FILE + " does not match bbr-sidecar.json: " + DATA.length + " bytes with SHA-256 " + actual
                        + ", recorded " + DATA.length + " bytes with SHA-256 " + SHA);
    }

    @Test
    void aTruncatedFileFailsOnItsSize() {
        byte[] truncated = Arrays.copyOf(DATA, DATA.length - 1);

        assertThatThrownBy(() -> stream(truncated, DATA.length, SHA).readAllBytes())
                .isInstanceOf(CorruptArtifactException.class)
                .hasMessageContaining(": " + (DATA.length - 1) + " bytes with SHA-256 ")
                .hasMessageContaining("recorded " + DATA.length + " bytes");
    }

    @Test
    void aRightDigestWithAWrongRecordedSizeFails() {
        assertThatThrownBy(() -> stream(DATA, DATA.length + 1, SHA).readAllBytes())
                .isInstanceOf(CorruptArtifactException.class);
    }

    /** A decoder stops at its own end (zstd frame, age's last chunk): closing reads and checks the rest. */
    @Test
    void closingEarlyChecksTheRemainder() throws IOException {
        byte[] flipped = DATA.clone();
        flipped[DATA.length - 1] ^= 1;
        VerifiedStoredStream bad = stream(flipped, DATA.length, SHA);
        bad.readNBytes(10);

        assertThatThrownBy(bad::close).isInstanceOf(CorruptArtifactException.class).hasMessageContaining(FILE);

        VerifiedStoredStream good = stream(DATA, DATA.length, SHA);
        good.readNBytes(10);
        good.close();
    }

    @Test
    void closeClosesTheStoreStreamEvenWhenTheCheckFails() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream store = new ByteArrayInputStream(DATA) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        VerifiedStoredStream in = new VerifiedStoredStream(store, FILE, DATA.length, "0".repeat(64));

        assertThatThrownBy(in::close).isInstanceOf(CorruptArtifactException.class);
        assertThat(closed).isTrue();
    }

    @Test
    void skippedBytesAreHashedNotJumpedOver() throws IOException {
        byte[] flipped = DATA.clone();
        flipped[5000] ^= 1;
        VerifiedStoredStream in = stream(flipped, DATA.length, SHA);

        assertThat(in.skip(DATA.length - 10)).isEqualTo(DATA.length - 10);
        // skipping past the end reaches it, and the end is where the check is
        assertThatThrownBy(() -> in.skip(100)).isInstanceOf(CorruptArtifactException.class);
        assertThat(in.read()).isEqualTo(-1);

        VerifiedStoredStream good = stream(DATA, DATA.length, SHA);
        assertThat(good.skip(DATA.length + 100L)).isEqualTo(DATA.length);
        good.close();
    }

    @Test
    void checksOnceAndReadsAfterTheEndStayAtTheEnd() throws IOException {
        VerifiedStoredStream in = stream(DATA, DATA.length, SHA);
        in.readAllBytes();

        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
        in.close();
        assertThat(in.markSupported()).isFalse();
    }
}
