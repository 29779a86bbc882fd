package dev.bbr.artifacts.tar;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * The drain's hot path: copies a remote {@code tar -c .} stream to the artifact while computing the
 * per-file SHA-256 map from the same bytes (bbr re-reads the file from disk afterwards; we don't).
 *
 * <p>Guarantees: the sink receives every input byte, in order, including the zero padding after the
 * last entry, even when the parser fails on an archive it does not support. Source and sink
 * {@link IOException}s propagate. Neither stream is closed; the sink is flushed.
 */
public final class ChecksummingTarCopier {

    public TarChecksums copy(InputStream tarStream, OutputStream sink) throws IOException {
        return copy(tarStream, sink, bytes -> { });
    }

    /** @param bytesSoFar called with the running byte total as data arrives (callers throttle logging). */
    public TarChecksums copy(InputStream tarStream, OutputStream sink, LongConsumer bytesSoFar) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(sink, TarDigestEngine.BUFFER_SIZE);
        TarChecksums result = new TarDigestEngine(tarStream, buffered, bytesSoFar).run();
        buffered.flush();
        return result;
    }
}
