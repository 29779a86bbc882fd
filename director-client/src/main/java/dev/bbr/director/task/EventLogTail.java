package dev.bbr.director.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.director.http.ApiRequest;
import dev.bbr.director.http.ApiResponse;
import dev.bbr.director.http.DebugLog;
import dev.bbr.director.http.DirectorHttp;
import dev.bbr.director.http.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Follows a task's event log with {@code Range: bytes=<offset>-}, as bosh-cli does, to surface
 * the {@code error.message} line of a failed task (the task's own {@code result} is truncated).
 *
 * <p>Rack semantics: 206 = the new bytes; 416 = nothing new; 200 = the whole log (the Director
 * ignores Range while the log is empty), so only bytes past our offset are new; 204 = no log.
 */
final class EventLogTail {
    private final DirectorHttp http;
    private final HttpUrl url;
    private final DebugLog log;
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    private long offset;
    private String lastError;

    EventLogTail(DirectorHttp http, long taskId, DebugLog log) {
        this.http = http;
        this.url = http.url().addPathSegment("tasks").addPathSegment(Long.toString(taskId))
                .addPathSegment("output").addQueryParameter("type", "event").build();
        this.log = log;
    }

    /** Fetches whatever was appended since the last call. */
    void poll() {
        ApiResponse response = http.exchange(
                ApiRequest.get(url, Map.of("Range", "bytes=" + offset + "-")));
        byte[] body = response.body();
        switch (response.status()) {
            case 206 -> consume(body, 0);
            case 200 -> consume(body, (int) Math.min(offset, body.length));
            case 204, 416 -> { /* nothing new */ }
            default -> throw DirectorHttp.responseError(response);
        }
    }

    private void consume(byte[] body, int from) {
        if (from >= body.length) {
            return;
        }
        offset += body.length - from;
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                line(partialLine.toString(StandardCharsets.UTF_8));
                partialLine.reset();
            } else {
                partialLine.write(body[i]);
            }
        }
    }

    private void line(String text) {
        if (text.isBlank()) {
            return;
        }
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            log.log("Ignoring unparseable task event line");
            return; // the event log is diagnostics only; never fail a task because of it
        }
        JsonNode error = event.get("error");
        if (error != null && error.isObject()) {
            lastError = Json.text(error, "message");
        }
        String stage = Json.text(event, "stage");
        if (stage != null) {
            log.log(String.format("Task event: %s %s %s", stage, Json.text(event, "task"),
                    Json.text(event, "state")));
        }
    }

    /** Flushes a final unterminated line. */
    void finish() {
        if (partialLine.size() > 0) {
            line(partialLine.toString(StandardCharsets.UTF_8));
            partialLine.reset();
        }
    }

    /** {@code error.message} of the last error event, or null. */
    String lastError() {
        return lastError;
    }

    /** Exposed for tests: bytes consumed so far. */
    long offset() {
        return offset;
    }
}
