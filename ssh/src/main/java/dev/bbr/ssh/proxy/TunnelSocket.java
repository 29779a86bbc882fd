package dev.bbr.ssh.proxy;

import dev.bbr.ssh.SshException;
import dev.bbr.ssh.WindowAwareOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;

/**
 * A Socket whose bytes travel in a direct-tcpip channel of the shared jumpbox connection. Only the
 * socket API HTTP clients use is mapped; TCP options are accepted and ignored (there is no local
 * TCP connection to tune). No local port is ever opened.
 */
final class TunnelSocket extends Socket {

    private final JumpboxConnection jumpbox;
    private volatile DirectConnection channel;
    private volatile InetSocketAddress remote;
    private volatile int soTimeoutMs;
    private volatile boolean closed;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private TunnelInputStream in;
    private WindowAwareOutputStream out;

    TunnelSocket(JumpboxConnection jumpbox) {
        this.jumpbox = jumpbox;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /**
     * Opens the channel to {@code endpoint.getHostString()}: with a placeholder InetAddress that is
     * the original host name, which the jumpbox resolves. The timeout is bounded by sshj's own
     * channel-open timeout.
     */
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("unsupported address type " + endpoint);
        }
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (channel != null) {
            throw new SocketException("already connected");
        }
        InetSocketAddress isa = (InetSocketAddress) endpoint;
        DirectConnection c;
        try {
            c = jumpbox.open(isa.getHostString(), isa.getPort());
        } catch (SshException e) {
            java.net.ConnectException ce = new java.net.ConnectException(e.getMessage());
            ce.initCause(e);
            throw ce;
        }
        synchronized (this) {
            this.channel = c;
            this.remote = isa;
            this.in = new TunnelInputStream(c, this);
            this.out = new WindowAwareOutputStream(c);
        }
    }

    private DirectConnection requireChannel() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        DirectConnection c = channel;
        if (c == null) {
            throw new SocketException("Socket is not connected");
        }
        return c;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        requireChannel();
        return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        requireChannel();
        return out;
    }

    boolean inputShutdown() {
        return inputShutdown;
    }

    int readTimeoutMs() {
        return soTimeoutMs;
    }

    @Override public boolean isConnected() { return channel != null; }
    @Override public boolean isBound() { return channel != null; }
    @Override public boolean isClosed() { return closed; }
    @Override public boolean isInputShutdown() { return inputShutdown; }
    @Override public boolean isOutputShutdown() { return outputShutdown; }

    @Override
    public void shutdownInput() throws IOException {
        requireChannel();
        inputShutdown = true;
    }

    /** Half-close: sends SSH_MSG_CHANNEL_EOF. */
    @Override
    public void shutdownOutput() throws IOException {
        DirectConnection c = requireChannel();
        outputShutdown = true;
        c.getOutputStream().close();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        DirectConnection c = channel;
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // the channel may already be gone with the jumpbox connection; nothing to release
        } finally {
            super.close();
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress r = remote;
        if (r == null) {
            return null;
        }
        if (r.getAddress() != null) {
            return r.getAddress();
        }
        try {
            return InetAddress.getByAddress(r.getHostString(), new byte[4]); // never resolve locally
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override public int getPort() { InetSocketAddress r = remote; return r == null ? 0 : r.getPort(); }
    @Override public SocketAddress getRemoteSocketAddress() { return remote; }
    @Override public InetAddress getLocalAddress() { return InetAddress.getLoopbackAddress(); }
    @Override public int getLocalPort() { return -1; }
    @Override public SocketAddress getLocalSocketAddress() { return null; }

    /** Mapped onto channel reads by {@link TunnelInputStream}; OkHttp's health check relies on it. */
    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        soTimeoutMs = timeout;
    }

    @Override public int getSoTimeout() { return soTimeoutMs; }

    // TCP options have no meaning for a channel; accept them so callers need not special-case us.
    @Override public void setTcpNoDelay(boolean on) { }
    @Override public boolean getTcpNoDelay() { return true; }
    @Override public void setKeepAlive(boolean on) { }
    @Override public boolean getKeepAlive() { return false; }
    @Override public void setSoLinger(boolean on, int linger) { }
    @Override public int getSoLinger() { return -1; }
    @Override public void setSendBufferSize(int size) { }
    @Override public int getSendBufferSize() { return 64 * 1024; }
    @Override public void setReceiveBufferSize(int size) { }
    @Override public int getReceiveBufferSize() { return 64 * 1024; }
    @Override public void setTrafficClass(int tc) { }
    @Override public int getTrafficClass() { return 0; }
    @Override public void setReuseAddress(boolean on) { }
    @Override public boolean getReuseAddress() { return false; }
    @Override public void setOOBInline(boolean on) { }
    @Override public boolean getOOBInline() { return false; }

    @Override
    public String toString() {
        return "TunnelSocket[" + remote + " via " + jumpbox + "]";
    }
}
