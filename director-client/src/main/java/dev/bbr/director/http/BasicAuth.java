package dev.bbr.director.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic for Directors with a local user store. Like bosh-cli, nothing is sent when the
 * username is empty.
 */
public final class BasicAuth implements AuthScheme {
    private final String header;

    /** As {@link #BasicAuth(String, String)}, also telling the debug log to scrub the header. */
    public BasicAuth(String username, String password, DebugLog log) {
        this(username, password);
        if (header != null) {
            log.registerSecret(header.substring("Basic ".length()));
        }
    }

    public BasicAuth(String username, String password) {
        if (username == null || username.isEmpty()) {
            this.header = null;
        } else {
            String pair = username + ":" + (password == null ? "" : password);
            this.header = "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public String header() {
        return header;
    }

    @Override
    public String afterUnauthorized(String rejected) {
        return header; // nothing to refresh; bosh-cli still retries once with the same header
    }

    @Override
    public String toString() {
        return "BasicAuth[REDACTED]";
    }
}
