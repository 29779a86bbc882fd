package dev.bbr.director.http;

import dev.bbr.director.DirectorException;
import java.time.Duration;

/** Waits between polls and retries; an interface so tests can count waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration);

    /** Real sleeping; an interrupt aborts the whole operation (Ctrl-C handling lives above us). */
    static Sleeper system() {
        return duration -> {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DirectorException("Interrupted while waiting for the Director", e);
            }
        };
    }
}
