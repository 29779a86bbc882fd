package dev.bbr.ssh;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to open one instance connection.
 *
 * @param connectTimeout TCP connect timeout (bbr has none; a hung dial would block the run)
 * @param keepAliveInterval keepalive@openssh.com interval; stemcells cut idle sessions after
 *        ~15 min (bbr#22), so keep this well under that
 */
public record ConnectionSpec(String host, int port, String user, SshKey key, HostKeyCheck hostKeyCheck,
                             Duration connectTimeout, Duration keepAliveInterval) {

    public static final int DEFAULT_PORT = 22;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);

    public ConnectionSpec {
        Objects.requireNonNull(host, "host");
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // "[::1]" names the same host as "::1"
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(hostKeyCheck, "hostKeyCheck");
        if (connectTimeout == null) {
            connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        }
        if (keepAliveInterval == null) {
            keepAliveInterval = DEFAULT_KEEPALIVE;
        }
        new HostAndPort(host, port); // validates host/port
    }

    /** Default timeouts. */
    public static ConnectionSpec of(String host, int port, String user, SshKey key, HostKeyCheck check) {
        return new ConnectionSpec(host, port, user, key, check, DEFAULT_CONNECT_TIMEOUT, DEFAULT_KEEPALIVE);
    }

    /** Parses "host", "host:port", "[v6]:port" or a bare IPv6 literal, port 22 by default. */
    public static ConnectionSpec of(String hostAndPort, String user, SshKey key, HostKeyCheck check) {
        HostAndPort hp = HostAndPort.parse(hostAndPort, DEFAULT_PORT);
        return of(hp.host(), hp.port(), user, key, check);
    }

    /** host:port as used in messages. */
    public String address() {
        return new HostAndPort(host, port).toString();
    }

    @Override
    public String toString() {
        return "ConnectionSpec[" + user + "@" + address() + ", " + key + ", " + hostKeyCheck + "]";
    }
}
