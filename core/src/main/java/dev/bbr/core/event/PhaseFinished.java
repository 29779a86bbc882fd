package dev.bbr.core.event;

import java.util.Map;

/** A script phase ended: bbr's {@code Finished running <phase> scripts.}. */
public record PhaseFinished(String phase) implements Event {
    @Override
    public Level level() {
        return Level.INFO;
    }

    @Override
    public String text() {
        return "Finished running " + phase + " scripts.";
    }

    @Override
    public String type() {
        return "phase_finished";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("phase", phase);
    }
}
