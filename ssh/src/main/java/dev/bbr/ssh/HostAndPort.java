package dev.bbr.ssh;

import java.util.Objects;

/**
 * A host plus port parsed from strings such as {@code 10.0.0.1}, {@code 10.0.0.1:2222},
 * {@code [::1]:22} or a bare IPv6 literal {@code ::1}. bbr breaks on IPv6 because it only
 * splits on a single colon; we do not.
 */
public record HostAndPort(String host, int port) {

    public HostAndPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port + " for host " + host);
        }
    }

    public static HostAndPort parse(String value, int defaultPort) {
        String s = Objects.requireNonNull(value, "value").trim();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in host " + value);
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new HostAndPort(host, defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("unexpected text after ']' in host " + value);
            }
            return new HostAndPort(host, parsePort(rest.substring(1), value));
        }
        int first = s.indexOf(':');
        if (first >= 0 && first == s.lastIndexOf(':')) {
            return new HostAndPort(s.substring(0, first), parsePort(s.substring(first + 1), value));
        }
        // no colon, or several (bare IPv6 literal): the whole string is the host
        return new HostAndPort(s, defaultPort);
    }

    private static int parsePort(String p, String original) {
        try {
            return Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in host " + original, e);
        }
    }

    /** host:port, with IPv6 literals bracketed. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
