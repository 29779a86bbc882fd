package dev.bbr.artifacts.codec;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The plaintext end of an encoding pipeline. {@link #close()} finishes every layer (the last compressed
 * frame, the last age chunk) and only then closes the stored stream, so a store that commits on close
 * (LocalArtifactOutput renames its partial file) never commits an artifact whose end is missing: if
 * finishing fails, the stored stream is left open for the caller to abort.
 */
final class EncodingOutputStream extends OutputStream {
    /** tar writes 512-byte records; batching them keeps the per-call cost of zstd's JNI and age low. */
    private static final int BUFFER_SIZE = 64 * 1024;

    private final OutputStream pipeline;
    private final OutputStream stored;
    private boolean closed;

    private EncodingOutputStream(OutputStream pipeline, OutputStream stored) {
        this.pipeline = new BufferedOutputStream(pipeline, BUFFER_SIZE);
        this.stored = stored;
    }

    /**
     * @param build makes the layers on top of the given sink; the sink stands for {@code stored} but
     *     ignores close, so the layers cannot close {@code stored} themselves
     */
    static OutputStream over(OutputStream stored, Layers build) throws IOException {
        return new EncodingOutputStream(build.on(new CloseShield(stored)), stored);
    }

    interface Layers {
        OutputStream on(OutputStream sink) throws IOException;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        pipeline.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        pipeline.write(b, off, len);
    }

    /** Pushes buffered plaintext into the layers; compressors may still hold some until close. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        pipeline.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        pipeline.close(); // throws before stored is closed: the caller sees the failure and aborts stored
        stored.close();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("artifact encoder already closed");
        }
    }

    private static final class CloseShield extends FilterOutputStream {
        CloseShield(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len); // FilterOutputStream would write byte by byte
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
