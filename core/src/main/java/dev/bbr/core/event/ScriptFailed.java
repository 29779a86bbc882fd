package dev.bbr.core.event;

import java.util.Map;

/**
 * A job's script failed ({@code Error locking redis on redis/0.}, level ERROR).
 *
 * @param error the error of the run it became ({@code Error attempting to run …})
 */
public record ScriptFailed(String script, String job, String instance, String text, String error, long millis)
        implements Event {
    @Override
    public Level level() {
        return Level.ERROR;
    }

    @Override
    public String type() {
        return "script_failed";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("script", script, "job", job, "instance", instance, "error", error, "duration_ms", millis);
    }
}
