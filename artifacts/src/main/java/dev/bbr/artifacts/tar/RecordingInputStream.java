package dev.bbr.artifacts.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * Sits between the raw tar bytes and the tar parser: every byte the parser consumes (by read or skip)
 * is written to the sink, counted and reported. Because the sink sees exactly what the parser saw,
 * the artifact file and the checksums are derived from the same bytes in one pass.
 *
 * <p>Source and sink failures are remembered so the engine can tell "the network/disk failed"
 * (propagate) from "the parser does not understand this archive" (carry on copying).
 */
final class RecordingInputStream extends InputStream {
    private final InputStream source;
    private final OutputStream sink;
    private final LongConsumer progress;
    private final byte[] skipBuffer = new byte[8192];
    private long total;
    private long trailingZeros;
    private IOException sourceFailure;
    private IOException sinkFailure;

    RecordingInputStream(InputStream source, OutputStream sink, LongConsumer progress) {
        this.source = source;
        this.sink = sink;
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = source.read(buffer, offset, length);
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
        if (n > 0) {
            record(buffer, offset, n);
        }
        return n;
    }

    /** Skipping must not bypass the sink (InputStream/FilterInputStream would skip the underlying bytes). */
    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n) {
            int r = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return source.available();
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The caller owns source and sink; the parser closing us must not close them. */
    @Override
    public void close() {
    }

    private void record(byte[] buffer, int offset, int n) throws IOException {
        try {
            sink.write(buffer, offset, n);
        } catch (IOException e) {
            sinkFailure = e;
            throw e;
        }
        total += n;
        trackTrailingZeros(buffer, offset, n);
        progress.accept(total);
    }

    /** Scans backwards only as far as the zeros go, so data chunks cost O(1) here. */
    private void trackTrailingZeros(byte[] buffer, int offset, int n) {
        int i = offset + n - 1;
        while (i >= offset && buffer[i] == 0) {
            i--;
        }
        int zerosAtEnd = offset + n - 1 - i;
        trailingZeros = zerosAtEnd == n ? trailingZeros + n : zerosAtEnd;
    }

    long total() {
        return total;
    }

    /** GNU tar ends every archive with at least two 512-byte zero records, then pads the last block. */
    boolean endsLikeCompleteTar() {
        return total > 0 && total % 512 == 0 && trailingZeros >= 1024;
    }

    /** Rethrows the transport failure behind {@code parserError}, if the source or sink failed. */
    void rethrowTransportFailure() throws IOException {
        if (sinkFailure != null) {
            throw sinkFailure;
        }
        if (sourceFailure != null) {
            throw sourceFailure;
        }
    }
}
