package dev.bbr.cli.output;

import dev.bbr.core.event.ErrorReported;
import dev.bbr.core.event.Event;
import dev.bbr.core.event.Level;
import dev.bbr.core.event.LogLine;
import dev.bbr.core.event.OperatorPrompt;
import dev.bbr.core.log.Log;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Renders events as the Go bbr prints them, byte for byte: log events as {@code [bbr] 2024/01/02
 * 15:04:05 INFO - Looking for scripts} (local time; DEBUG only with {@code --debug}), status lines and
 * the Ctrl-C question as plain stdout text, the error report on stderr.
 */
public final class TextRenderer implements Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private final boolean debug;
    private final PausableOutput out;
    private final PrintStream err;
    private final Clock clock;

    /**
     * @param out where log and status lines go (held back while the Ctrl-C question waits)
     * @param err where the error report goes (null: the log's destination, as in a log file)
     */
    public TextRenderer(boolean debug, PausableOutput out, PrintStream err, Clock clock) {
        this.debug = debug;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    @Override
    public void emit(Event event) {
        if (event.level() == Level.DEBUG && !debug) {
            return;
        }
        String text = event.text();
        if (text == null) {
            return;
        }
        if (event instanceof OperatorPrompt) {
            out.printDirect(text);
            return;
        }
        if (event instanceof ErrorReported && err != null) {
            err.println(text);
            err.flush();
            return;
        }
        switch (event.stream()) {
            case LOG -> out.println(logLine(event, text));
            case STDOUT, STDERR -> out.println(text);
        }
    }

    private String logLine(Event event, String text) {
        String tag = event instanceof LogLine line ? line.tag() : "bbr";
        return "[" + tag + "] " + ZonedDateTime.now(clock).format(TIME) + " " + event.level() + " - " + text;
    }
}
