package dev.bbr.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the real command line in-process with a given environment and captures what it prints. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun run(Operations operations, Map<String, String> env, String... args) {
        return run(operations, env, "", args);
    }

    public static CliRun run(Operations operations, Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        int code = operations == null
                ? BbrCli.run(args, env, console.in(), console.out(), console.err())
                : new BbrCli(operations).execute(args, console);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
