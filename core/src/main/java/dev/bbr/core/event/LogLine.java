package dev.bbr.core.event;

import java.util.Objects;

/**
 * One of bbr's log lines that needs no typed fields ({@code [<tag>] <time> <LEVEL> - <text>}).
 *
 * @param tag {@code bbr}, or the component bbr names (e.g. {@code httpClient} for Director requests)
 */
public record LogLine(Level level, String tag, String text) implements Event {
    public LogLine {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(text, "text");
    }

    public static LogLine of(Level level, String text) {
        return new LogLine(level, "bbr", text);
    }

    @Override
    public String type() {
        return "log";
    }

    @Override
    public java.util.Map<String, Object> fields() {
        return Fields.of("tag", tag);
    }
}
