package dev.bbr.artifacts.codec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Wraps the stored stream and remembers what it threw, so a failure surfacing through the decoders can
 * be told apart: a read error of the storage passes through as it is, anything else the decoders raise
 * means the bytes are damaged ({@link CorruptArtifactException}).
 */
final class SourceWitness extends FilterInputStream {
    private volatile IOException thrown;

    SourceWitness(InputStream stored) {
        super(stored);
    }

    /** True if {@code failure} is, or was caused by, an exception of the stored stream. */
    boolean threw(Throwable failure) {
        IOException own = thrown;
        for (Throwable t = failure; own != null && t != null; t = t.getCause()) {
            if (t == own) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            thrown = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            thrown = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            thrown = e;
            throw e;
        }
    }
}
