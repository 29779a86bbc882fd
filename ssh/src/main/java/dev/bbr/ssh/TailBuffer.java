package dev.bbr.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that keeps only the last {@code capacity} bytes written: a long job's stderr, or a
 * script's stdout (logged and scanned for bbr's markers, printed last; never needed whole and possibly
 * huge), must not fill the heap.
 */
public final class TailBuffer extends OutputStream {

    private final byte[] ring;
    private long total;

    public TailBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (len >= ring.length) {
            off += len - ring.length;
            total += len - ring.length;
            len = ring.length;
        }
        int pos = (int) (total % ring.length);
        int first = Math.min(len, ring.length - pos);
        System.arraycopy(b, off, ring, pos, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        total += len;
    }

    /** The last bytes written, at most {@code capacity}. */
    public synchronized byte[] toByteArray() {
        int size = (int) Math.min(total, ring.length);
        byte[] out = new byte[size];
        int start = (int) ((total - size) % ring.length);
        int first = Math.min(size, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        return out;
    }

    String text() {
        return new String(toByteArray(), StandardCharsets.UTF_8);
    }
}
