package dev.bbr.core.event;

import java.util.Map;

/**
 * A job's script starts on an instance ({@code Locking redis on redis/0 for backup...}).
 *
 * @param script   the script, e.g. {@code pre-backup-lock}
 * @param instance {@code group/id}
 * @param text     bbr's line for it
 */
public record ScriptStarted(String script, String job, String instance, String text) implements Event {
    @Override
    public Level level() {
        return Level.INFO;
    }

    @Override
    public String type() {
        return "script_started";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("script", script, "job", job, "instance", instance);
    }
}
