package dev.bbr.core.errors;

/** Describing a throwable for an operator, whatever it carries (a null message included). */
public final class Failures {
    private Failures() {}

    /** The message, or the exception's simple name when it has none; never null, never throws. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = t.getCause();
            return cause != null && cause != t ? t.getClass().getSimpleName() + ": " + describe(cause)
                    : t.getClass().getSimpleName();
        }
        return message;
    }
}
