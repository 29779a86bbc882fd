package dev.bbr.core.errors;

import java.util.Objects;

/**
 * One error collected by a workflow. Workflows never stop at the first error: every step's
 * failure is collected, and the run ends with the whole list.
 */
public record BbrError(ErrorKind kind, String message, Throwable cause) {
    public BbrError {
        Objects.requireNonNull(kind, "kind");
        if (message == null) {
            // an exception without a message must not become a second exception while it is reported
            message = Failures.describe(cause);
        }
    }

    /** An error found by bbr itself (no exception behind it): its origin is recorded for the err.log. */
    public static BbrError of(ErrorKind kind, String message) {
        return new BbrError(kind, message, new Origin());
    }

    public static BbrError of(ErrorKind kind, String message, Throwable cause) {
        return new BbrError(kind, message, cause);
    }

    /** {@code outer: inner}, the way bbr wraps causes. */
    public BbrError wrap(String outer) {
        return new BbrError(kind, outer + ": " + message, cause);
    }

    /** Where an error without an exception was reported: its stack trace is what bbr's err.log shows. */
    public static final class Origin extends Exception {
        private static final long serialVersionUID = 1L;

        Origin() {
            super("reported at");
        }
    }
}
