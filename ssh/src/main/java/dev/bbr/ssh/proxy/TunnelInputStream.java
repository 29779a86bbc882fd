package dev.bbr.ssh.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;

/**
 * Channel input with Socket read-timeout semantics. sshj's ChannelInputStream blocks without a
 * timeout, but OkHttp's pooled-connection health check sets soTimeout=1 ms and expects a
 * SocketTimeoutException; without this a POST over a pooled tunnel connection would hang.
 * While data is flowing no polling happens; only an empty buffer with a timeout set polls, with
 * a short back-off.
 */
final class TunnelInputStream extends InputStream {

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final DirectConnection channel;
    private final InputStream in;
    private final TunnelSocket socket;

    TunnelInputStream(DirectConnection channel, TunnelSocket socket) {
        this.channel = channel;
        this.in = channel.getInputStream();
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (socket.inputShutdown()) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        awaitData(socket.readTimeoutMs());
        return in.read(b, off, len);
    }

    private void awaitData(int timeoutMs) throws IOException {
        if (timeoutMs <= 0 || in.available() > 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long park = 20_000; // 20 µs, doubling
        while (in.available() == 0 && channel.isOpen() && !channel.isEOF() && !socket.isClosed()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("Read timed out");
            }
            LockSupport.parkNanos(Math.min(Math.min(park, left), MAX_PARK_NANOS));
            park <<= 1;
        }
    }

    @Override
    public int available() throws IOException {
        return socket.inputShutdown() ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        socket.close(); // like SocketInputStream: closing the stream closes the socket
    }
}
