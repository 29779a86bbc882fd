package dev.bbr.cli.command;

/**
 * A fully parsed command line for one operation, such as {@code bbr deployment ... backup ...}.
 *
 * @param family       {@code deployment} or {@code director}
 * @param familyDef    the family's definition (for its help)
 * @param subcommand   the canonical subcommand name, e.g. {@code backup}
 * @param leafDef      the subcommand's definition (for its help)
 * @param familyFlags  the family's flags with env defaults applied
 * @param leafFlags    the subcommand's flags
 */
public record Invocation(String family, CommandDef familyDef, String subcommand, CommandDef leafDef,
        ResolvedFlags familyFlags, ResolvedFlags leafFlags) {

    public String helpName() {
        return "bbr " + family + " " + subcommand;
    }

    public boolean isDirector() {
        return "director".equals(family);
    }
}
