package dev.bbr.director.http;

import java.time.Duration;

/**
 * Geometric delay schedule ({@code initial}, ×{@code multiplier}, capped at {@code max}); used both
 * for transport retries and for task polling.
 */
public record Backoff(Duration initial, double multiplier, Duration max) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || multiplier < 1.0) {
            throw new IllegalArgumentException("invalid back-off " + initial + " x" + multiplier
                    + " max " + max);
        }
    }

    /** Delay before the {@code n}-th retry (n starts at 1). */
    public Duration delay(int n) {
        double ms = initial.toMillis() * Math.pow(multiplier, Math.max(0, n - 1));
        return ms >= max.toMillis() ? max : Duration.ofMillis((long) ms);
    }
}
