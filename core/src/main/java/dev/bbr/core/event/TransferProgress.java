package dev.bbr.core.event;

import java.util.Map;

/**
 * How far an artifact transfer has come ({@code Copying backup for job redis on redis/0 -- 45% complete}).
 * Renderers decide how often to show it; the text output follows bbr (every 5 points).
 */
public record TransferProgress(String direction, String job, String instance, long bytes, long total, int percent,
        String text) implements Event {
    @Override
    public Level level() {
        return Level.INFO;
    }

    @Override
    public String type() {
        return "transfer_progress";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("direction", direction, "job", job, "instance", instance, "bytes", bytes, "total", total,
                "percent", percent);
    }
}
