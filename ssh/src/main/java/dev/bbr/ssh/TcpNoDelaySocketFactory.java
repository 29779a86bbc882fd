package dev.bbr.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain or SOCKS sockets with TCP_NODELAY: sshj never sets it and Nagle added ~40 ms per exec
 * round trip (measured in docs/performance.md). sshj calls only the no-arg createSocket() and then connect().
 */
final class TcpNoDelaySocketFactory extends SocketFactory {

    private final Proxy proxy;

    TcpNoDelaySocketFactory(Proxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket s = proxy.type() == Proxy.Type.DIRECT ? new Socket() : new Socket(proxy);
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(proxy.type() == Proxy.Type.DIRECT
                ? new InetSocketAddress(host, port) : InetSocketAddress.createUnresolved(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        s.connect(proxy.type() == Proxy.Type.DIRECT
                ? new InetSocketAddress(host, port) : InetSocketAddress.createUnresolved(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        s.connect(new InetSocketAddress(address, port));
        return s;
    }
}
