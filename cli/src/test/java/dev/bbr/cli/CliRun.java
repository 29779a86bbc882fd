package dev.bbr.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs the real command line in-process with a given environment and captures what it prints. Each
 * run gets its own empty working directory (where bbr writes its err.log), removed if it stays empty.
 */
public record CliRun(int exitCode, String out, String err, java.nio.file.Path workingDirectory) {

    public static CliRun run(Operations operations, Map<String, String> env, String... args) {
        return run(operations, env, "", args);
    }

    public static CliRun run(Operations operations, Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.nio.file.Path cwd;
        try {
            cwd = java.nio.file.Files.createTempDirectory("bbr-cli-run");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Console console = new Console(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, cwd);
        int code = new BbrCli(operations == null ? new DefaultOperations() : operations).execute(args, console);
        cwd.toFile().delete(); // only if empty: a test may want to read what bbr left there
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), cwd);
    }
}
