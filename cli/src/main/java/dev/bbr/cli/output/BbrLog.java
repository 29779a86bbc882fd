package dev.bbr.cli.output;

import dev.bbr.core.log.Log;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * bbr's log lines: {@code [bbr] 2024/01/02 15:04:05 INFO - Looking for scripts}, local time.
 * DEBUG lines appear only with {@code --debug}.
 */
public final class BbrLog implements Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private final String tag;
    private final boolean debug;
    private final PausableOutput out;
    private final Clock clock;

    public BbrLog(String tag, boolean debug, PausableOutput out, Clock clock) {
        this.tag = tag;
        this.debug = debug;
        this.out = out;
        this.clock = clock;
    }

    /** The same destination under another tag, e.g. {@code httpClient} for Director requests. */
    public BbrLog tagged(String otherTag) {
        return new BbrLog(otherTag, debug, out, clock);
    }

    public boolean isDebug() {
        return debug;
    }

    @Override
    public void debug(String message) {
        if (debug) {
            write("DEBUG", message);
        }
    }

    @Override
    public void info(String message) {
        write("INFO", message);
    }

    @Override
    public void warn(String message) {
        write("WARN", message);
    }

    @Override
    public void error(String message) {
        write("ERROR", message);
    }

    private void write(String level, String message) {
        out.println("[" + tag + "] " + ZonedDateTime.now(clock).format(TIME) + " " + level + " - " + message);
    }
}
