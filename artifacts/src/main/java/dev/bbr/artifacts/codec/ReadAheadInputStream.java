package dev.bbr.artifacts.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads another stream ahead on a thread of its own, so that producing the bytes and consuming them
 * use two cores. Decoding an at-rest artifact (read, SHA-256 of the stored bytes, age's
 * ChaCha20-Poly1305, zstd) and what the reader does with the plaintext (parse the tar, SHA-256 of
 * every file) each took one core in turn before; the verify and the restore of a compressed,
 * encrypted backup ran on one thread while {@code age -d | zstd -d | tar -t} runs three processes.
 *
 * <p>Chunks are handed over through a small bounded queue (memory stays flat: at most
 * {@value #DEPTH} chunks of {@value #CHUNK} bytes). A failure of the source reaches the reader after
 * every byte read before it, as it would have without the thread. Closing stops the thread and
 * closes the source.
 */
public final class ReadAheadInputStream extends InputStream {
    static final int CHUNK = 256 * 1024;
    static final int DEPTH = 4;
    private static final byte[] END = new byte[0];

    private final InputStream source;
    private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(DEPTH);
    private final Thread producer;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;
    private volatile boolean closed;

    public ReadAheadInputStream(InputStream source, String name) {
        this.source = source;
        this.producer = new Thread(this::produce, name);
        producer.setDaemon(true);
        producer.start();
    }

    private void produce() {
        try {
            while (!closed) {
                byte[] chunk = new byte[CHUNK];
                int filled = 0;
                try {
                    int n = 0;
                    while (filled < CHUNK && (n = source.read(chunk, filled, CHUNK - filled)) >= 0) {
                        filled += n;
                    }
                    if (n < 0 && filled == 0) {
                        chunks.put(END);
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    // what was read before the failure is handed over first
                    if (filled > 0) {
                        chunks.put(java.util.Arrays.copyOf(chunk, filled));
                    }
                    chunks.put(e);
                    return;
                }
                chunks.put(filled == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, filled));
            }
        } catch (InterruptedException e) {
            // closed: nobody reads any more
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    /** Makes sure there is an unread byte; false at the end. */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (position == current.length) {
            if (ended) {
                return false;
            }
            Object next;
            try {
                next = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            if (next instanceof IOException failure) {
                ended = true;
                throw failure;
            }
            if (next instanceof RuntimeException failure) {
                ended = true;
                throw failure;
            }
            byte[] chunk = (byte[]) next;
            if (chunk == END) {
                ended = true;
                return false;
            }
            current = chunk;
            position = 0;
        }
        return true;
    }

    @Override
    public int available() {
        return current.length - position;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        producer.interrupt();
        try {
            producer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
