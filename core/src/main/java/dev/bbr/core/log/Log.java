package dev.bbr.core.log;

import dev.bbr.core.event.Event;
import dev.bbr.core.event.Level;
import dev.bbr.core.event.LogLine;

/**
 * Where a run's events go: rendered as bbr's text ({@code [bbr] <date> <LEVEL> - <message>}) or as
 * JSON lines, by the caller's choice. One object per run (rather than static loggers) so that
 * {@code --all-deployments} can give each deployment its own log file while they run in parallel.
 *
 * <p>The level methods are shorthands for {@link LogLine}s, bbr's untyped messages; the steps that
 * matter to a machine reader (phases, scripts, transfers, the outcome) emit typed events.
 */
@FunctionalInterface
public interface Log {
    void emit(Event event);

    default void debug(String message) {
        emit(LogLine.of(Level.DEBUG, message));
    }

    default void info(String message) {
        emit(LogLine.of(Level.INFO, message));
    }

    default void warn(String message) {
        emit(LogLine.of(Level.WARN, message));
    }

    default void error(String message) {
        emit(LogLine.of(Level.ERROR, message));
    }

    /** The same destination, with bbr's lines tagged {@code tag} (e.g. {@code httpClient}). */
    default Log tagged(String tag) {
        return event -> emit(event instanceof LogLine line ? new LogLine(line.level(), tag, line.text()) : event);
    }

    /** A log that discards everything (tests, dry checks). */
    Log NONE = event -> { };
}
