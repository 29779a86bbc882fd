package dev.bbr.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The process's streams and environment, passed in rather than read from globals so that tests run
 * the real command line in-process.
 */
public record Console(InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
        Path workingDirectory) {

    /** A console in the process's working directory. */
    public Console(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this(in, out, err, env, Path.of("").toAbsolutePath());
    }

    /** A path from the command line: relative ones are relative to the working directory. */
    public Path path(String value) {
        return workingDirectory.resolve(value.isEmpty() ? "." : value);
    }

    private static final String RED = "\u001b[31m";
    private static final String RESET = "\u001b[0m";

    /** bbr prints validation errors in red; NO_COLOR (no-color.org) turns that off. */
    public void printRedError(String message) {
        boolean colour = env.get("NO_COLOR") == null || env.get("NO_COLOR").isEmpty();
        err.println(colour ? RED + message + RESET : message);
        err.flush();
    }
}
