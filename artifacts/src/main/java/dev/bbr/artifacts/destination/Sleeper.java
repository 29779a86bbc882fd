package dev.bbr.artifacts.destination;

import java.time.Duration;

/** Waiting, made injectable so the same-second retry can be tested with a fixed clock. */
@FunctionalInterface
interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(Math.max(1, duration.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
