package dev.bbr.director;

import java.net.Proxy;
import java.util.Optional;
import java.util.function.Function;
import javax.net.SocketFactory;

/**
 * How Director and UAA connections leave this process ({@code BOSH_ALL_PROXY}).
 *
 * <p>A narrow view of {@code dev.bbr.ssh.proxy.AllProxy} so the HTTP code (and its tests) do not
 * need a jumpbox; {@link DirectorClient.Builder#allProxy} adapts the real thing.
 */
public interface ProxyRoute {

    /** SOCKS proxy (unresolved address, remote DNS) or {@link Proxy#NO_PROXY} for this host. */
    Proxy httpProxyFor(String host);

    /** Present for {@code ssh+socks5://}: sockets whose connect opens an SSH direct-tcpip channel. */
    Optional<SocketFactory> tunnelSocketFactory();

    /** Plain TCP, no proxy. */
    static ProxyRoute direct() {
        return of(host -> Proxy.NO_PROXY, Optional.empty());
    }

    static ProxyRoute of(Function<String, Proxy> proxyForHost, Optional<SocketFactory> tunnel) {
        return new ProxyRoute() {
            @Override
            public Proxy httpProxyFor(String host) {
                return proxyForHost.apply(host);
            }

            @Override
            public Optional<SocketFactory> tunnelSocketFactory() {
                return tunnel;
            }
        };
    }
}
