package dev.bbr.director;

import java.net.Proxy;
import java.util.Optional;
import java.util.function.Function;
import javax.net.SocketFactory;

/**
 * How Director and UAA connections leave this process ({@code BOSH_ALL_PROXY}).
 *
 * <p>This module's own small interface, so the HTTP client does not depend on the SSH module: the
 * application layer adapts {@code BOSH_ALL_PROXY} (SOCKS5 or the jumpbox tunnel) to it.
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
