package dev.bbr.artifacts.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read-ahead thread between an artifact's decoding and its reader. */
@Timeout(30)
class ReadAheadInputStreamTest {

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void passesEveryByteInOrderWhateverTheReadSizes() throws IOException {
        byte[] data = random(3 * ReadAheadInputStream.CHUNK + 12345);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), "test")) {
            assertThat(in.read()).isEqualTo(data[0] & 0xff);
            out.write(data[0]);
            byte[] buf = new byte[7919];
            int n;
            while ((n = in.read(buf, 0, buf.length)) >= 0) {
                out.write(buf, 0, n);
            }
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void anEmptySourceEndsAtOnce() throws IOException {
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(new byte[0]), "test")) {
            assertThat(in.read(new byte[10])).isEqualTo(-1);
        }
    }

    @Test
    void aFailureArrivesAfterEveryByteReadBeforeIt() throws IOException {
        byte[] data = random(ReadAheadInputStream.CHUNK + 100);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new CorruptArtifactException("the age stream ends early", null);
                }
                return n;
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing, "test")) {
            assertThat(in.readNBytes(data.length)).isEqualTo(data);
            assertThatThrownBy(in::read).isInstanceOf(CorruptArtifactException.class)
                    .hasMessage("the age stream ends early");
        }
    }

    @Test
    void closingMidwayStopsTheThreadAndClosesTheSource() throws Exception {
        AtomicBoolean sourceClosed = new AtomicBoolean();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 7;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 7);
                return len;
            }

            @Override
            public void close() {
                sourceClosed.set(true);
            }
        };
        ReadAheadInputStream in = new ReadAheadInputStream(endless, "test endless");
        assertThat(in.read()).isEqualTo(7);
        in.close();
        assertThat(sourceClosed).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test endless"));
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("stream closed");
    }
}
