package dev.bbr.store.sftp;

import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.RemoteLocation;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sftp://USER@HOST[:PORT]/PATH[?fingerprint=SHA256:…&key=/path/to/key]}. The path is absolute
 * ({@code sftp://backup@nas/srv/backups} is {@code /srv/backups}); {@code /~/PATH} is relative to the
 * user's login directory. {@link #toString()} is the location without its query (no key path either).
 */
record SftpLocation(String user, String host, int port, String path, Optional<String> fingerprint,
                    Optional<String> keyFile) {

    static SftpLocation parse(String location) throws StoreException {
        String head = "sftp://";
        if (!location.regionMatches(true, 0, head, 0, head.length())) {
            throw invalid(location, "expected sftp://USER@HOST[:PORT]/PATH");
        }
        String rest = location.substring(head.length());
        Map<String, String> query = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
                if (!k.equals("fingerprint") && !k.equals("key")) {
                    throw invalid(location, "unknown parameter " + k + " (fingerprint= or key=)");
                }
                query.put(k, v);
            }
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String rawPath = slash < 0 ? "" : rest.substring(slash);
        int at = authority.lastIndexOf('@');
        if (at <= 0) {
            throw invalid(location, "the user is missing (sftp://USER@HOST/PATH)");
        }
        String user = URLDecoder.decode(authority.substring(0, at), StandardCharsets.UTF_8);
        if (user.contains(":")) {
            throw invalid(location, "passwords are not supported: authenticate with a key (BBR_SFTP_KEY)");
        }
        String hostPort = authority.substring(at + 1);
        String host;
        int port = 22;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw invalid(location, "unterminated IPv6 address");
            }
            host = hostPort.substring(1, close);
            if (hostPort.length() > close + 1) {
                port = port(location, hostPort.substring(close + 2));
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (colon >= 0) {
                port = port(location, hostPort.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            throw invalid(location, "the host is missing");
        }
        String path;
        if (rawPath.startsWith("/~/") || rawPath.equals("/~")) {
            path = RemoteLocation.normalise(rawPath.substring(2)); // relative to the login directory
        } else {
            path = "/" + RemoteLocation.normalise(rawPath);
        }
        Optional<String> fingerprint = Optional.ofNullable(query.get("fingerprint")).filter(s -> !s.isBlank());
        if (fingerprint.isPresent() && !fingerprint.get().startsWith("SHA256:")) {
            throw invalid(location, "fingerprint must be SHA256:… as ssh-keygen -lf prints it");
        }
        return new SftpLocation(user, host.toLowerCase(Locale.ROOT), port, path, fingerprint,
                Optional.ofNullable(query.get("key")).filter(s -> !s.isBlank()));
    }

    /** The directory as given to the server: absolute, or relative to the login directory. */
    String directory() {
        return path.isEmpty() ? "." : path;
    }

    /** The same server and options with another path (parent, child). */
    SftpLocation withPath(String newPath) {
        return new SftpLocation(user, host, port, newPath, fingerprint, keyFile);
    }

    /** The location string with the query, for opening a sibling store. */
    String withQuery() {
        StringBuilder b = new StringBuilder(toString());
        String sep = "?";
        if (fingerprint.isPresent()) {
            b.append(sep).append("fingerprint=").append(fingerprint.get());
            sep = "&";
        }
        if (keyFile.isPresent()) {
            b.append(sep).append("key=").append(keyFile.get());
        }
        return b.toString();
    }

    String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + (port == 22 ? "" : ":" + port);
    }

    @Override
    public String toString() {
        String p = path.startsWith("/") ? path : "/~" + (path.isEmpty() ? "" : "/" + path);
        return "sftp://" + user + "@" + address() + (p.equals("/") ? "" : p);
    }

    private static int port(String location, String s) throws StoreException {
        try {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw invalid(location, "invalid port " + s);
        }
    }

    private static StoreException invalid(String location, String why) {
        String shown = location.contains("?") ? location.substring(0, location.indexOf('?')) : location;
        return new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "invalid location " + shown + ": " + why);
    }
}
