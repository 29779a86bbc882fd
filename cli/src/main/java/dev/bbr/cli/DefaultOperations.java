package dev.bbr.cli;

import dev.bbr.cli.command.Invocation;

/** The real operations, wired to the Director client, SSH and the artifact store. */
final class DefaultOperations implements Operations {
    @Override
    public Operation forInvocation(Invocation invocation) {
        return (inv, console) -> {
            console.err().println("bbr " + inv.family() + " " + inv.subcommand()
                    + " is not available in this build yet.");
            return 1;
        };
    }
}
