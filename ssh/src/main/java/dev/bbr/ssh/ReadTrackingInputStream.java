package dev.bbr.ssh;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers whether reading the channel itself failed, so a failure inside a stdout consumer can be
 * told apart: the network (the session ended) or the consumer's own side (e.g. the disk is full).
 */
final class ReadTrackingInputStream extends FilterInputStream {
    private volatile boolean readFailed;

    ReadTrackingInputStream(InputStream in) {
        super(in);
    }

    boolean readFailed() {
        return readFailed;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            readFailed = true;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            readFailed = true;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            readFailed = true;
            throw e;
        }
    }
}
