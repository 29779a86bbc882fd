package dev.bbr.core.event;

import java.util.List;
import java.util.Map;

/**
 * A command ended. The text output shows nothing for it (the error report and the exit code are
 * bbr's); JSON readers get the outcome in one place.
 *
 * @param operation e.g. {@code backup}, {@code restore}
 * @param target    the deployment, or the director host
 * @param artifact  where the backup is, when one was written or read
 */
public record RunFinished(String operation, String target, int exitCode, boolean cancelled, String artifact,
        List<String> errors, long millis) implements Event {
    @Override
    public Level level() {
        return exitCode == 0 ? Level.INFO : Level.ERROR;
    }

    @Override
    public String text() {
        return null;
    }

    @Override
    public String type() {
        return "run_finished";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("operation", operation, "target", target, "exit_code", exitCode, "cancelled", cancelled,
                "artifact", artifact, "errors", errors, "duration_ms", millis);
    }
}
