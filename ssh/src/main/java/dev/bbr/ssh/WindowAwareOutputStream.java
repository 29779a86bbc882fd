package dev.bbr.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.util.concurrent.locks.LockSupport;
import net.schmizz.sshj.connection.channel.Channel;

/**
 * Writes to an sshj channel only as much as the remote window allows, waiting for window space
 * OUTSIDE sshj. sshj's ChannelOutputStream waits for window expansion while holding its monitor;
 * if the remote then closes the channel, the connection's single reader thread blocks on that
 * monitor (closeAllStreams) and EVERY channel of the connection stalls until sshj's 30 s window
 * timeout — observed with a remote command that ignores its stdin. Waiting here also avoids sshj's
 * spurious "timeout expanding window" when the remote reads slowly for more than 30 s.
 * Public only for the proxy package; not part of the supported API.
 */
public final class WindowAwareOutputStream extends OutputStream {

    private static final long MIN_PARK_NANOS = 20_000;
    private static final long MAX_PARK_NANOS = 2_000_000;

    private final Channel channel;
    private final OutputStream out;

    public WindowAwareOutputStream(Channel channel) {
        this.channel = channel;
        this.out = channel.getOutputStream();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Single writer per channel assumed (window accounting would race with a second writer). */
    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        long park = MIN_PARK_NANOS;
        while (off < end) {
            if (!channel.isOpen()) {
                throw new SocketException("ssh channel closed by the remote side");
            }
            long window = channel.getRemoteWinSize();
            if (window <= 0) {
                LockSupport.parkNanos(park);
                park = Math.min(park * 2, MAX_PARK_NANOS);
                continue;
            }
            park = MIN_PARK_NANOS;
            int chunk = (int) Math.min(end - off, window);
            out.write(b, off, chunk);
            out.flush(); // keep buffered bytes out of the next window calculation
            off += chunk;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Sends SSH_MSG_CHANNEL_EOF. */
    @Override
    public void close() throws IOException {
        out.close();
    }
}
