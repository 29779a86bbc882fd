package dev.bbr.director.http;

import java.nio.charset.StandardCharsets;
import okhttp3.Headers;

/**
 * A fully read response. Bodies are read eagerly (Director responses are small, task output at
 * most a few MB) so connections are released at once and byte offsets for Range polling are
 * exact.
 */
public record ApiResponse(String method, String url, int status, Headers headers, byte[] body) {

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String toString() {
        return method + " " + url + " -> " + status + " (" + body.length + " bytes)";
    }
}
