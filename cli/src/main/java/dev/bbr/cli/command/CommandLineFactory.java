package dev.bbr.cli.command;

import java.util.IdentityHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Builds picocli's model from {@link BbrCommands}. picocli only parses; help text, validation and
 * dispatch stay ours so that they match the Go bbr.
 */
public final class CommandLineFactory {
    private final Map<CommandSpec, CommandDef> definitions = new IdentityHashMap<>();
    private final CommandLine root;

    public CommandLineFactory() {
        this.root = build(BbrCommands.root(), true);
    }

    public CommandLine root() {
        return root;
    }

    /** The definition a picocli command was built from; null for the synthetic {@code help} children. */
    public CommandDef definitionOf(CommandSpec spec) {
        return definitions.get(spec);
    }

    private CommandLine build(CommandDef def, boolean isRoot) {
        CommandSpec spec = CommandSpec.create().name(def.name());
        if (def.alias() != null) {
            spec.aliases(def.alias());
        }
        spec.usageMessage().description(def.usage());
        for (FlagDef flag : def.flags()) {
            spec.addOption(OptionSpec.builder(flag.acceptedSpellings().toArray(String[]::new))
                    .arity(flag.bool() ? "0" : "1")
                    .type(flag.bool() ? boolean.class : flag.repeatable() ? String[].class : String.class)
                    .paramLabel("value")
                    .description(flag.helpText())
                    .build());
        }
        if (def.argument() != null) {
            // "SOURCE DESTINATION" is two arguments; a missing one is reported by the command, with its help
            int count = def.argument().split(" ").length;
            spec.addPositional(PositionalParamSpec.builder().paramLabel(def.argument()).arity("0.." + count)
                    .type(String[].class).build());
        }
        spec.addOption(OptionSpec.builder("--help", "-h").usageHelp(true).description("show help").build());
        if (isRoot) {
            spec.addOption(OptionSpec.builder("--version", "-v").versionHelp(true).description("print the version")
                    .build());
        }
        definitions.put(spec, def);
        CommandLine commandLine = new CommandLine(spec);
        commandLine.setPosixClusteredShortOptionsAllowed(false);
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setAbbreviatedSubcommandsAllowed(false);
        commandLine.setAbbreviatedOptionsAllowed(false);
        // a host or user called "h" or "backup" is a value, not a command (Go's flag package agrees)
        commandLine.setAllowSubcommandsAsOptionParameters(true);
        for (CommandDef sub : def.subcommands()) {
            CommandLine child = build(sub, false);
            commandLine.addSubcommand(sub.name(), child, sub.alias() == null ? new String[0] : new String[] {sub.alias()});
        }
        if (!isRoot && !def.isLeaf()) {
            // urfave/cli appends a `help, h` subcommand to every command that has subcommands
            CommandSpec help = CommandSpec.create().name("help").aliases("h");
            help.usageMessage().description(BbrCommands.HELP_USAGE);
            commandLine.addSubcommand("help", new CommandLine(help), "h");
        }
        return commandLine;
    }
}
