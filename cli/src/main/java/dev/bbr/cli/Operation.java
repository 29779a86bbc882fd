package dev.bbr.cli;

import dev.bbr.cli.command.Invocation;

/** One subcommand's behaviour, e.g. {@code bbr deployment backup}. Returns the process exit code. */
@FunctionalInterface
public interface Operation {
    int run(Invocation invocation, Console console);
}
