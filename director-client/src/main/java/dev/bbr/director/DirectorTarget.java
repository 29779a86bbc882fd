package dev.bbr.director;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Director address given with {@code --target}/{@code BOSH_ENVIRONMENT}, normalised the way
 * bosh-cli does it: whatever scheme the user typed, we always talk HTTPS; the port defaults to
 * 25555 (nginx on the Director VM); any path, query or user-info is ignored.
 *
 * <p>Unlike Go's {@code url.Parse} we also accept a bare {@code 10.0.0.6:25555} (no scheme) by
 * treating everything without {@code ://} as an authority. Error messages carry bbr's
 * {@code invalid bosh URL - } prefix because that is what the user sees from bbr.
 */
public final class DirectorTarget {
    /** bbr wraps every failure of bosh-cli's URL parser with this prefix. */
    static final String PREFIX = "invalid bosh URL - ";
    public static final int DEFAULT_PORT = 25555;

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

    private final String host;
    private final int port;
    private final URI baseUrl;

    private DirectorTarget(String host, int port, URI baseUrl) {
        this.host = host;
        this.port = port;
        this.baseUrl = baseUrl;
    }

    /**
     * Parses a Director URL.
     *
     * @throws DirectorConfigException with a bbr-style message for empty input, a missing host, or
     *     a bad port
     */
    public static DirectorTarget parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new DirectorConfigException(PREFIX + "Expected non-empty Director URL");
        }
        var schemeMatcher = SCHEME.matcher(value);
        boolean hasScheme = schemeMatcher.find();
        String rest = hasScheme ? value.substring(schemeMatcher.end()) : value;
        // What bosh-cli prints in its messages: the URL as Go re-serialises it, which for the
        // cases we report (host/port problems) is the input with an https scheme.
        String shown = hasScheme ? value : "https://" + value;

        String authority = rest;
        int end = indexOfAny(authority, "/?#");
        if (end >= 0) {
            authority = authority.substring(0, end);
        }
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1); // user-info is never used for auth
        }

        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new DirectorConfigException(
                        PREFIX + "Parsing Director URL '" + value + "': missing ']' in host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new DirectorConfigException(PREFIX + "Parsing Director URL '" + value
                            + "': invalid port \"" + after + "\" after host");
                }
                portText = after.substring(1);
            }
        } else {
            int firstColon = authority.indexOf(':');
            if (firstColon >= 0 && firstColon != authority.lastIndexOf(':')) {
                throw new DirectorConfigException(PREFIX + "Extracting host/port from URL '" + shown
                        + "': address " + authority + ": too many colons in address");
            }
            if (firstColon >= 0) {
                host = authority.substring(0, firstColon);
                portText = authority.substring(firstColon + 1);
            } else {
                host = authority;
            }
        }

        int port = DEFAULT_PORT;
        if (portText != null) {
            port = parsePort(portText, shown);
        }
        if (host.isEmpty()) {
            throw new DirectorConfigException(
                    PREFIX + "Expected to extract host from URL '" + shown + "'");
        }

        URI base;
        try {
            // The multi-argument constructor validates the host and adds IPv6 brackets itself.
            base = new URI("https", null, host, port, null, null, null);
        } catch (URISyntaxException e) {
            throw new DirectorConfigException(
                    PREFIX + "Parsing Director URL '" + value + "': " + e.getReason());
        }
        if (base.getHost() == null) {
            throw new DirectorConfigException(
                    PREFIX + "Parsing Director URL '" + value + "': invalid host '" + host + "'");
        }
        return new DirectorTarget(host, port, base);
    }

    private static int parsePort(String text, String shown) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new DirectorConfigException(PREFIX + "Extracting port from URL '" + shown
                    + "': invalid port \"" + text + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new DirectorConfigException(PREFIX + "Extracting port from URL '" + shown
                    + "': port " + text + " out of range 1-65535");
        }
        return port;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code https://host:port} with no trailing slash; IPv6 hosts are bracketed. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Host name or IP literal without IPv6 brackets (what a proxy or jumpbox needs). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DirectorTarget other && other.baseUrl.equals(baseUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseUrl);
    }

    @Override
    public String toString() {
        return baseUrl.toString();
    }
}
