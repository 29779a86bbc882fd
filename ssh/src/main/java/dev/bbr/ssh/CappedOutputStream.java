package dev.bbr.ssh;

import java.io.ByteArrayOutputStream;

/** In-memory stdout capture that refuses to grow past a cap instead of exhausting the heap. */
final class CappedOutputStream extends ByteArrayOutputStream {

    private final int cap;

    CappedOutputStream(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (count + (long) len > cap) {
            throw new OutputTooLargeException("output exceeds the in-memory limit of " + cap
                    + " bytes; stream it to a sink instead");
        }
        super.write(b, off, len);
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Unchecked so ByteArrayOutputStream's signatures stay; reported as a stdout.Write failure. */
    static final class OutputTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputTooLargeException(String message) {
            super(message);
        }
    }

}
