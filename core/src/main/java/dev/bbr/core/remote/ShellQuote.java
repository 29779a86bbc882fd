package dev.bbr.core.remote;

/**
 * POSIX shell quoting for values put into remote commands. bbr concatenated paths and environment
 * values into {@code sudo ...} strings unquoted; every value here goes through {@link #quote}.
 */
public final class ShellQuote {
    private ShellQuote() {}

    /** Wraps in single quotes; an embedded single quote becomes {@code '\''}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
