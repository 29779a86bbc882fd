package dev.bbr.core.event;

import java.util.Map;

/**
 * Something a run reports. Renderers turn events into bbr's text (byte for byte what the Go bbr
 * prints) or into JSON lines; workflows never format output themselves.
 *
 * <p>Every event has bbr's text ({@link #text()}, null when bbr prints nothing for it), a level, a
 * stable JSON type name and the typed fields a machine reader needs.
 */
public sealed interface Event permits LogLine, PhaseStarted, PhaseFinished, ScriptStarted, ScriptFinished,
        ScriptFailed, TransferStarted, TransferProgress, ArtifactVerified, RunFinished, StatusLine, ErrorReported,
        OperatorPrompt {

    Level level();

    /** bbr's text for the event, or null when the text output shows nothing for it. */
    String text();

    /** The JSON {@code type}: lower snake case, stable. */
    String type();

    /** The typed fields, in a stable order (JSON only). */
    default Map<String, Object> fields() {
        return Map.of();
    }

    /** Which text stream the event belongs to. */
    default Stream stream() {
        return Stream.LOG;
    }

    /**
     * Where bbr prints an event: its log (stdout, {@code [bbr] <time> LEVEL - text}), plain lines on
     * stdout, or stderr (the error report).
     */
    enum Stream {
        LOG, STDOUT, STDERR
    }
}
