package dev.bbr.core.event;

import java.util.List;
import java.util.Map;

/**
 * The error report bbr prints on stderr when a command fails ({@code 1 error occurred:} …, then the
 * footer).
 *
 * @param text     the whole report as printed
 * @param errors   each error's message
 * @param exitCode the exit code that goes with it
 */
public record ErrorReported(String text, List<String> errors, int exitCode) implements Event {
    @Override
    public Level level() {
        return Level.ERROR;
    }

    @Override
    public String type() {
        return "error_report";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("errors", errors, "exit_code", exitCode);
    }

    @Override
    public Stream stream() {
        return Stream.STDERR;
    }
}
