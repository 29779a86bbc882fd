package dev.bbr.cli;

import dev.bbr.cli.command.Invocation;

/** Chooses the {@link Operation} for a parsed command line. */
@FunctionalInterface
public interface Operations {
    Operation forInvocation(Invocation invocation);
}
