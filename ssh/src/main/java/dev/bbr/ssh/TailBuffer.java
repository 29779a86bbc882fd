package dev.bbr.ssh;

import java.nio.charset.StandardCharsets;

/** Keeps only the last {@code capacity} bytes written: stderr of a long job must not fill the heap. */
final class TailBuffer {

    private final byte[] ring;
    private long total;

    TailBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] b, int off, int len) {
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

    synchronized byte[] toByteArray() {
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
