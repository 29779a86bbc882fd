package dev.bbr.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The process's streams and environment, passed in rather than read from globals so that tests run
 * the real command line in-process.
 */
public record Console(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {

    private static final String RED = "\u001b[31m";
    private static final String RESET = "\u001b[0m";

    /** bbr prints validation errors in red; NO_COLOR (no-color.org) turns that off. */
    public void printRedError(String message) {
        boolean colour = env.get("NO_COLOR") == null || env.get("NO_COLOR").isEmpty();
        err.println(colour ? RED + message + RESET : message);
        err.flush();
    }
}
