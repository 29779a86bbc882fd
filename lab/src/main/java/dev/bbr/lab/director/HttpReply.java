package dev.bbr.lab.director;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes responses; remembers the status so the request log can record it. */
final class HttpReply {
    /** Sinatra's default type, which the real Director uses for most non-/info, non-/tasks JSON. */
    static final String SINATRA_HTML = "text/html;charset=utf-8";
    static final String JSON = "application/json";
    static final String TEXT = "text/plain;charset=utf-8";

    private HttpReply() {
    }

    static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null && bytes.length > 0) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        // -1 = no body; 204/304 must never carry one
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
        ex.close();
    }

    static void sendBytes(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
        ex.close();
    }

    static String error(int code, String description) {
        return "{\"code\":" + code + ",\"description\":" + Json.quote(description) + "}";
    }
}
