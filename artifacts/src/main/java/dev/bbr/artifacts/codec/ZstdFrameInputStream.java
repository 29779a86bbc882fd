package dev.bbr.artifacts.codec;

import com.github.luben.zstd.ZstdInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * zstd decompression that refuses an empty source. zstd-jni reports end of data for zero input bytes
 * as if it were a valid empty stream, which would let an artifact truncated to nothing decode as an
 * empty tar. Every real stream has at least one frame, even for empty content.
 */
final class ZstdFrameInputStream extends FilterInputStream {
    private final CountingSource source;

    private ZstdFrameInputStream(InputStream decompressed, CountingSource source) {
        super(decompressed);
        this.source = source;
    }

    static InputStream over(InputStream compressed) throws IOException {
        CountingSource source = new CountingSource(compressed);
        // The finalizing variant frees its native context even if a caller abandons the stream.
        return new ZstdFrameInputStream(new ZstdInputStream(source), source);
    }

    @Override
    public int read() throws IOException {
        return checked(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return checked(super.read(b, off, len));
    }

    private int checked(int result) throws IOException {
        if (result < 0 && source.count == 0) {
            throw new EOFException("no zstd frame: the data is empty");
        }
        return result;
    }

    private static final class CountingSource extends FilterInputStream {
        private long count;

        CountingSource(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
