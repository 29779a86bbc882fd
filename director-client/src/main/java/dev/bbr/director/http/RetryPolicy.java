package dev.bbr.director.http;

import java.time.Duration;

/**
 * Transport-level retries, modelled on bosh-utils' NetworkSafeRetryClient (5 attempts, 500 ms)
 * but with growing delays so a restarting Director gets a little more room each time.
 *
 * @param maxAttempts total tries including the first (1 = never retry)
 */
public record RetryPolicy(int maxAttempts, Backoff backoff) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(5, new Backoff(Duration.ofMillis(500), 1.5, Duration.ofSeconds(2)));
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }
}
