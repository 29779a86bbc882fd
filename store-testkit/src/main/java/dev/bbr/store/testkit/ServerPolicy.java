package dev.bbr.store.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's policy for tests that need a real server: skipped with the reason outside CI, failed
 * with CI=true, so CI never skips them silently.
 */
public final class ServerPolicy {
    private ServerPolicy() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or in CI fails) the calling test. */
    public static void unavailable(String reason, Throwable cause) {
        if (inCi()) {
            Assertions.fail(reason + " - failing because CI=true", cause);
        }
        Assumptions.abort(reason + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
}
