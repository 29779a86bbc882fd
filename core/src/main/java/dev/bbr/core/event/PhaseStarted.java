package dev.bbr.core.event;

import java.util.Map;

/** A script phase begins: bbr's {@code Running <phase> scripts...}. */
public record PhaseStarted(String phase) implements Event {
    @Override
    public Level level() {
        return Level.INFO;
    }

    @Override
    public String text() {
        return "Running " + phase + " scripts...";
    }

    @Override
    public String type() {
        return "phase_started";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("phase", phase);
    }
}
