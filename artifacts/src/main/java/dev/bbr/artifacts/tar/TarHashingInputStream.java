package dev.bbr.artifacts.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * For restore uploads: read a local tar through this stream (e.g. into {@code sudo tar -x} on the VM)
 * and get its per-file checksums when the stream is exhausted, without a second pass over the file.
 *
 * <p>Bytes are returned unchanged and in full (padding included). Internally the parser is driven one
 * step at a time as the reader asks for data, so at most one step's output (≤ 64 KiB, or one tar
 * header) is buffered.
 */
public final class TarHashingInputStream extends InputStream {
    private final InputStream source;
    private final PendingBytes pending = new PendingBytes();
    private final TarDigestEngine engine;
    private boolean exhausted;

    public TarHashingInputStream(InputStream tar) {
        this(tar, bytes -> { });
    }

    public TarHashingInputStream(InputStream tar, LongConsumer bytesSoFar) {
        this.source = tar;
        this.engine = new TarDigestEngine(tar, pending, bytesSoFar);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (pending.isEmpty() && !exhausted) {
            exhausted = !engine.step();
        }
        if (pending.isEmpty()) {
            return -1;
        }
        return pending.take(buffer, offset, length);
    }

    /** Available once this stream returned EOF; throws {@link IllegalStateException} before that. */
    public TarChecksums checksums() {
        if (!exhausted || !pending.isEmpty()) {
            throw new IllegalStateException("read the stream to the end first");
        }
        return engine.result();
    }

    /**
     * The checksums after the reader has stopped, whenever it stopped. {@code tar -x} stops reading
     * at the end-of-archive blocks and exits, so the padding after them may still be unread (how much
     * depends on timing): once the end-of-archive marker has been parsed, every entry has been hashed
     * and the rest is read here to finish the result. Before that point the archive was not sent
     * whole, which is an error, never a partial result.
     *
     * @throws IncompleteReadException if the reader stopped before the end of the archive
     */
    public TarChecksums checksumsAfterReaderStopped() throws IOException {
        if (!engine.passedEndOfArchive()) {
            throw new IncompleteReadException(engine.bytesRecorded() - pending.size());
        }
        pending.clear();
        while (!exhausted) {
            exhausted = !engine.step();
            pending.clear();
        }
        return engine.result();
    }

    /** The reader stopped before the tar's end-of-archive marker: the archive was not sent whole. */
    public static final class IncompleteReadException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long bytesRead;

        IncompleteReadException(long bytesRead) {
            super("the receiving side stopped reading after " + bytesRead
                    + " bytes, before the end of the archive");
            this.bytesRead = bytesRead;
        }

        /** Bytes handed to the reader before it stopped. */
        public long bytesRead() {
            return bytesRead;
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    /** A growable byte queue: the engine appends, the reader takes; reset whenever emptied. */
    private static final class PendingBytes extends OutputStream {
        private byte[] bytes = new byte[TarDigestEngine.BUFFER_SIZE];
        private int start;
        private int end;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            if (end + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + length));
            }
            System.arraycopy(source, offset, bytes, end, length);
            end += length;
        }

        boolean isEmpty() {
            return start == end;
        }

        int size() {
            return end - start;
        }

        void clear() {
            start = 0;
            end = 0;
        }

        int take(byte[] target, int offset, int length) {
            int n = Math.min(length, end - start);
            System.arraycopy(bytes, start, target, offset, n);
            start += n;
            if (start == end) {
                start = 0;
                end = 0;
            }
            return n;
        }
    }
}
