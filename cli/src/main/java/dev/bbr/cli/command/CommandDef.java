package dev.bbr.cli.command;

import java.util.List;

/**
 * One node of bbr's command tree: {@code bbr}, {@code bbr deployment}, {@code bbr deployment backup}.
 *
 * @param name        the command name
 * @param alias       a one-letter alias such as {@code b}, or null
 * @param usage       the one-line description
 * @param flags       the flags this command takes (a parent's flags come before the subcommand)
 * @param subcommands children, in help order
 * @param argument    the label of the one positional argument a leaf takes ({@code PATH}), or null
 */
public record CommandDef(String name, String alias, String usage, List<FlagDef> flags, List<CommandDef> subcommands,
        String argument) {

    public CommandDef(String name, String alias, String usage, List<FlagDef> flags, List<CommandDef> subcommands) {
        this(name, alias, usage, flags, subcommands, null);
    }

    /** A leaf that takes one positional argument, as {@code bbr artifacts verify PATH}. */
    public static CommandDef leafWithArgument(String name, String argument, String usage, FlagDef... flags) {
        return new CommandDef(name, null, usage, List.of(flags), List.of(), argument);
    }

    public static CommandDef leaf(String name, String alias, String usage, FlagDef... flags) {
        return new CommandDef(name, alias, usage, List.of(flags), List.of());
    }

    public boolean isLeaf() {
        return subcommands.isEmpty();
    }

    /** The names this command answers to. */
    public List<String> names() {
        return alias == null ? List.of(name) : List.of(name, alias);
    }

    /** {@code backup, b}: the left column in a parent's command list. */
    public String helpLabel() {
        return String.join(", ", names());
    }
}
