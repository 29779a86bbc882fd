package dev.bbr.core.event;

import java.util.Map;

/** A job's script succeeded ({@code Finished locking redis on redis/0 for backup.}). */
public record ScriptFinished(String script, String job, String instance, String text, long millis)
        implements Event {
    @Override
    public Level level() {
        return Level.INFO;
    }

    @Override
    public String type() {
        return "script_finished";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("script", script, "job", job, "instance", instance, "duration_ms", millis);
    }
}
