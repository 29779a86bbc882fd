package dev.bbr.lab.director;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Director task. The work runs right away on a worker thread; what clients see is driven by
 * polls: the first {@code queuedPolls} GETs report "queued", then "processing" until both the
 * work has finished and {@code processingPolls} more GETs happened, then the terminal state.
 */
final class Task {
    final int id;
    final String type;
    final String description;
    final String deployment;
    final String user;
    private final int queuedPolls;
    private final int processingPolls;
    private int polls;
    private String state = "queued";
    private Long startedAt;
    private Long timestamp;
    private boolean workFinished;
    private String errorMessage;
    private final StringBuilder events = new StringBuilder();
    private final StringBuilder result = new StringBuilder();

    Task(int id, String type, String description, String deployment, String user, int queuedPolls, int processingPolls) {
        this.id = id;
        this.type = type;
        this.description = description;
        this.deployment = deployment;
        this.user = user;
        this.queuedPolls = queuedPolls;
        this.processingPolls = processingPolls;
    }

    synchronized void succeed(String resultText) {
        result.append(resultText);
        workFinished = true;
    }

    synchronized void fail(int code, String message) {
        long now = System.currentTimeMillis() / 1000;
        events.append("{\"time\":").append(now).append(",\"error\":{\"code\":").append(code)
                .append(",\"message\":").append(Json.quote(message)).append("}}\n");
        errorMessage = message;
        workFinished = true;
    }

    /** Called for every GET /tasks/N (including the redirect follow): advances the visible state. */
    synchronized Map<String, Object> poll() {
        polls++;
        long now = System.currentTimeMillis() / 1000;
        if (polls > queuedPolls && startedAt == null) {
            startedAt = now;
        }
        if (!isTerminal()) {
            if (polls <= queuedPolls) {
                state = "queued";
            } else if (!workFinished || polls <= queuedPolls + processingPolls) {
                state = "processing";
            } else {
                state = errorMessage == null ? "done" : "error";
                timestamp = now;
            }
        }
        return json();
    }

    private boolean isTerminal() {
        return state.equals("done") || state.equals("error") || state.equals("cancelled") || state.equals("timeout");
    }

    synchronized Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", state);
        m.put("description", description);
        m.put("timestamp", timestamp);
        m.put("started_at", startedAt);
        m.put("result", state.equals("error") ? truncate(errorMessage) : "");
        m.put("user", user);
        m.put("deployment", deployment);
        m.put("context_id", "");
        return m;
    }

    private static String truncate(String s) {
        String t = s.strip();
        return t.length() > 128 ? t.substring(0, 125) + "..." : t;
    }

    synchronized String output(String kind) {
        return kind.equals("event") ? events.toString() : result.toString();
    }

    synchronized String state() {
        return state;
    }
}
