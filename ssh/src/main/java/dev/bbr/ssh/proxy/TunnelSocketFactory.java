package dev.bbr.ssh.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets that connect through the jumpbox (direct-tcpip), for OkHttp. Pair it with a Dns that
 * returns a placeholder address built with InetAddress.getByAddress(hostname, bytes) so the host
 * name survives to {@link TunnelSocket#connect} and is resolved by the jumpbox.
 */
final class TunnelSocketFactory extends SocketFactory {

    private final JumpboxConnection jumpbox;

    TunnelSocketFactory(JumpboxConnection jumpbox) {
        this.jumpbox = jumpbox;
    }

    @Override
    public Socket createSocket() {
        return new TunnelSocket(jumpbox);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(InetSocketAddress.createUnresolved(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port); // a channel has no local address to bind
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address, port);
    }
}
