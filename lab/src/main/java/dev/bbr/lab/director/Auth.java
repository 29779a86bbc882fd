package dev.bbr.lab.director;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Director-side credential check: Basic against the configured client, or a bearer token from our UAA. */
final class Auth {
    enum Kind { none, basic, bearer }

    record Result(Kind kind, boolean ok, String user) {
    }

    private final boolean uaa;
    private final String client;
    private final String secret;
    private final TokenIssuer tokens;

    Auth(boolean uaa, String client, String secret, TokenIssuer tokens) {
        this.uaa = uaa;
        this.client = client;
        this.secret = secret;
        this.tokens = tokens;
    }

    Result check(String header) {
        if (header == null || header.isBlank()) {
            return new Result(Kind.none, false, null);
        }
        String[] parts = header.trim().split(" ");
        if (parts.length == 2 && parts[0].equalsIgnoreCase("basic")) {
            // in UAA mode the real Director only accepts tokens
            if (uaa) {
                return new Result(Kind.basic, false, null);
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new Result(Kind.basic, false, null);
            }
            int colon = decoded.indexOf(':');
            boolean ok = colon > 0 && decoded.substring(0, colon).equals(client)
                    && !secret.isEmpty() && decoded.substring(colon + 1).equals(secret);
            return new Result(Kind.basic, ok, ok ? client : null);
        }
        if (parts.length == 2 && parts[0].equalsIgnoreCase("bearer")) {
            boolean ok = uaa && tokens.valid(parts[1]);
            return new Result(Kind.bearer, ok, ok ? client : null);
        }
        return new Result(header.toLowerCase().startsWith("bearer") ? Kind.bearer
                : header.toLowerCase().startsWith("basic") ? Kind.basic : Kind.none, false, null);
    }
}
