package dev.bbr.director.http;

import dev.bbr.director.CaCert;
import dev.bbr.director.ProxyRoute;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.TlsVersion;

/**
 * Builds the one OkHttpClient used for Director and UAA traffic.
 *
 * <ul>
 *   <li>TLS 1.2+ only, trust = the given CA bundle (system roots only if none was given), OkHttp's
 *       default hostname verification; there is intentionally no switch to disable either.
 *   <li>No automatic redirects (handled in {@link DirectorHttp}) and no silent OkHttp retries
 *       (handled in {@link Transport}, which knows what is safe to replay).
 *   <li>No idle connection reuse, like bosh-cli (keep-alives off): a stale pooled connection can
 *       then never make a non-replayable POST fail.
 *   <li>{@code BOSH_ALL_PROXY}: ssh+socks5 → sockets tunnelled through the jumpbox and a DNS stub
 *       that keeps the name so the jumpbox resolves it; socks5 → per-host proxy selection so
 *       NO_PROXY is honoured.
 * </ul>
 */
public final class OkHttpFactory {
    private OkHttpFactory() {}

    public static OkHttpClient create(CaCert caCert, ProxyRoute route, Duration connectTimeout,
            Duration readTimeout, Duration callTimeout) {
        ConnectionSpec tls = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
                .tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)
                .build();
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .connectionSpecs(List.of(tls))
                // Go's transport with a custom TLS config/dialer (bosh-utils) speaks HTTP/1.1 only.
                .protocols(List.of(Protocol.HTTP_1_1));
        if (caCert != null) {
            builder.sslSocketFactory(caCert.sslSocketFactory(), caCert.trustManager());
        }
        var tunnel = route.tunnelSocketFactory();
        if (tunnel.isPresent()) {
            builder.socketFactory(tunnel.get()).dns(new PlaceholderDns()).proxy(Proxy.NO_PROXY);
        } else {
            builder.proxySelector(new PerHostProxySelector(route));
        }
        return builder.build();
    }

    /**
     * Returns an address that still carries the host name, so the tunnel socket's
     * {@code connect(endpoint)} can hand {@code endpoint.getHostString()} to the jumpbox, which
     * resolves it in the Director's network (local DNS may not know the name at all).
     */
    static final class PlaceholderDns implements Dns {
        @Override
        public List<InetAddress> lookup(String hostname) throws UnknownHostException {
            return List.of(InetAddress.getByAddress(hostname, new byte[4]));
        }
    }

    /** Asks the route for each host separately, which is where NO_PROXY is applied. */
    static final class PerHostProxySelector extends ProxySelector {
        private final ProxyRoute route;

        PerHostProxySelector(ProxyRoute route) {
            this.route = route;
        }

        @Override
        public List<Proxy> select(URI uri) {
            String host = uri.getHost();
            if (host != null && host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            Proxy proxy = route.httpProxyFor(host);
            return List.of(proxy == null ? Proxy.NO_PROXY : proxy);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // Nothing to learn: there is exactly one route per host.
        }
    }
}
