package dev.bbr.service.notify;

import java.time.Duration;

/** Waits between retries; tests pass one that records instead of waiting. */
@FunctionalInterface
public interface Pause {
    void pause(Duration duration) throws InterruptedException;

    Pause REAL = duration -> Thread.sleep(duration.toMillis());
}
