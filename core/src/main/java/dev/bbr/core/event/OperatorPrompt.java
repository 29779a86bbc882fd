package dev.bbr.core.event;

import java.util.Map;

/**
 * bbr asks the operator something and waits (the Ctrl-C question), or tells why it cannot ask.
 *
 * @param text exactly what is printed, newlines included
 */
public record OperatorPrompt(String text) implements Event {
    @Override
    public Level level() {
        return Level.WARN;
    }

    @Override
    public String type() {
        return "prompt";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("question", text.strip());
    }

    @Override
    public Stream stream() {
        return Stream.STDOUT;
    }
}
