package dev.bbr.ssh.proxy;

import dev.bbr.ssh.HostAndPort;
import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.SshException;
import dev.bbr.ssh.SshKey;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.SocketFactory;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BOSH_ALL_PROXY for both the Director/UAA HTTP clients and instance SSH.
 * <ul>
 *   <li>unset/empty: direct;</li>
 *   <li>{@code socks5://host:port} (or socks5h): SOCKS5 with remote DNS, NO_PROXY honoured;</li>
 *   <li>{@code ssh+socks5://user@host:port?private-key=PATH}: every connection is a direct-tcpip
 *   channel of ONE lazily opened SSH connection to the jumpbox (no local listener).</li>
 * </ul>
 * Thread-safe. Close it at the end of the run to drop the jumpbox connection.
 */
public final class AllProxy implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(AllProxy.class);
    private static final int DEFAULT_SOCKS_PORT = 1080;
    private static final AllProxy DIRECT = new AllProxy(null, null, null, "direct");

    private final InetSocketAddress socksAddress;   // socks5 only; unresolved
    private final NoProxyList noProxy;              // socks5 only
    private final JumpboxConnection jumpbox;        // ssh+socks5 only
    private final String description;

    private AllProxy(InetSocketAddress socksAddress, NoProxyList noProxy, JumpboxConnection jumpbox, String description) {
        this.socksAddress = socksAddress;
        this.noProxy = noProxy;
        this.jumpbox = jumpbox;
        this.description = description;
    }

    /** No proxy at all. */
    public static AllProxy direct() {
        return DIRECT;
    }

    /**
     * {@link #fromEnvironment(Map, HostKeyCheck)} with the jumpbox host key checked against
     * ~/.ssh/known_hosts, trusting an unlisted jumpbox on first use and logging its fingerprint at INFO.
     */
    public static AllProxy fromEnvironment(Map<String, String> env) {
        Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        return fromEnvironment(env, HostKeyCheck.knownHostsOrTrustOnFirstUse(knownHosts, log::info));
    }

    /**
     * Reads BOSH_ALL_PROXY and NO_PROXY/no_proxy from {@code env} (pass System.getenv()).
     *
     * @param jumpboxHostKeyCheck host key check for an ssh+socks5 jumpbox, typically
     *        {@link HostKeyCheck#knownHostsOrTrustOnFirstUse}
     * @throws ProxyConfigException with bbr's message when the value is unusable
     */
    public static AllProxy fromEnvironment(Map<String, String> env, HostKeyCheck jumpboxHostKeyCheck) {
        String value = env.get("BOSH_ALL_PROXY");
        String noProxy = env.get("NO_PROXY");
        if (noProxy == null || noProxy.isBlank()) {
            noProxy = env.get("no_proxy");
        }
        return parse(value, noProxy, jumpboxHostKeyCheck);
    }

    /** Same as {@link #fromEnvironment} with explicit values. */
    public static AllProxy parse(String value, String noProxy, HostKeyCheck jumpboxHostKeyCheck) {
        if (value == null || value.isBlank()) {
            return DIRECT;
        }
        String v = value.trim();
        if (v.startsWith("ssh+")) {
            return sshTunnel(v.substring("ssh+".length()), Objects.requireNonNull(jumpboxHostKeyCheck, "jumpboxHostKeyCheck"));
        }
        URI uri = parseUri(v);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("socks5") && !scheme.equals("socks5h")) {
            throw new ProxyConfigException("Parsing BOSH_ALL_PROXY url: proxy: unknown scheme: " + scheme);
        }
        if (uri.getHost() == null) {
            throw new ProxyConfigException("Parsing BOSH_ALL_PROXY url: missing host in " + scheme + " proxy url");
        }
        if (uri.getUserInfo() != null) {
            // The JDK only does SOCKS auth via JVM-global settings; we do not set globals behind the caller's back.
            log.warn("BOSH_ALL_PROXY: SOCKS5 user credentials are not supported and are ignored");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_SOCKS_PORT;
        InetSocketAddress addr = InetSocketAddress.createUnresolved(uri.getHost(), port);
        return new AllProxy(addr, new NoProxyList(noProxy), null,
                "socks5://" + new HostAndPort(unbracket(uri.getHost()), port));
    }

    private static AllProxy sshTunnel(String rest, HostKeyCheck check) {
        URI uri = parseUri(rest);
        String keyPath = queryParam(uri.getRawQuery(), "private-key");
        if (keyPath == null || keyPath.isEmpty()) {
            throw new ProxyConfigException("Parsing BOSH_ALL_PROXY query params: Required query param 'private-key' not found");
        }
        String keyText;
        try {
            keyText = Files.readString(Path.of(keyPath));
        } catch (IOException | RuntimeException e) {
            throw new ProxyConfigException("Reading private key file for SOCKS5 Proxy: " + describeIo(e, keyPath), e);
        }
        SshKey key;
        try {
            key = SshKey.fromPem(keyText);
        } catch (SshException e) {
            throw new ProxyConfigException("Reading private key file for SOCKS5 Proxy: " + e.getMessage(), e);
        }
        if (uri.getHost() == null) {
            throw new ProxyConfigException("Parsing BOSH_ALL_PROXY url: missing host in ssh+socks5 proxy url");
        }
        String user = uri.getUserInfo();
        if (user == null || user.isEmpty()) {
            user = "jumpbox";
        } else if (user.contains(":")) {
            user = user.substring(0, user.indexOf(':')); // password part is meaningless for key auth
        }
        HostAndPort addr = new HostAndPort(unbracket(uri.getHost()), uri.getPort() > 0 ? uri.getPort() : 22);
        JumpboxConnection jump = new JumpboxConnection(addr, user, key, check);
        return new AllProxy(null, null, jump, "ssh+socks5://" + user + "@" + addr);
    }

    private static URI parseUri(String v) {
        try {
            return new URI(v);
        } catch (URISyntaxException e) {
            throw new ProxyConfigException("Parsing BOSH_ALL_PROXY url: " + e.getMessage(), e);
        }
    }

    private static String queryParam(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("[&;]")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String describeIo(Exception e, String path) {
        if (e instanceof NoSuchFileException) {
            return "open " + path + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "open " + path + ": permission denied";
        }
        return SshException.describe(e) + " (" + path + ")";
    }

    private static String unbracket(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** True when no proxy is configured. */
    public boolean isDirect() {
        return socksAddress == null && jumpbox == null;
    }

    /** True for ssh+socks5://. */
    public boolean isSshTunnel() {
        return jumpbox != null;
    }

    /**
     * The java.net.Proxy an HTTP client should use for {@code host}: a SOCKS proxy with an
     * unresolved address (so DNS happens at the proxy) for socks5://, unless NO_PROXY matches;
     * {@link Proxy#NO_PROXY} otherwise (ssh+socks5 uses {@link #tunnelSocketFactory()} instead).
     */
    public Proxy httpProxyFor(String host) {
        if (socksAddress == null || noProxy.matches(host)) {
            return Proxy.NO_PROXY;
        }
        return new Proxy(Proxy.Type.SOCKS, socksAddress);
    }

    /**
     * For ssh+socks5:// only: a SocketFactory whose sockets tunnel through the jumpbox to
     * {@code endpoint.getHostString()}. Use with Proxy.NO_PROXY and a placeholder-address Dns.
     */
    public Optional<SocketFactory> tunnelSocketFactory() {
        return jumpbox == null ? Optional.empty() : Optional.of(new TunnelSocketFactory(jumpbox));
    }

    /**
     * For ssh+socks5:// only: a direct-tcpip channel to host:port through the shared jumpbox
     * connection (opened on first use). Used by SshTransport for instance connections.
     */
    public DirectConnection openTunnel(String host, int port) throws SshException {
        if (jumpbox == null) {
            throw new IllegalStateException("BOSH_ALL_PROXY is not an ssh+socks5 proxy");
        }
        return jumpbox.open(host, port);
    }

    /** Closes the jumpbox connection, if one was opened. */
    @Override
    public void close() {
        if (jumpbox != null) {
            jumpbox.close();
        }
    }

    /** Safe to log: no key material, no credentials. */
    @Override
    public String toString() {
        return "AllProxy[" + description + "]";
    }
}
