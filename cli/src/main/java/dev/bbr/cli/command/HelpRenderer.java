package dev.bbr.cli.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders help in the shape of the Go bbr's urfave/cli templates, so that scripts and people who
 * read bbr's help find the same sections, names and wording.
 */
public final class HelpRenderer {
    private static final String INDENT = "   ";
    private static final String HELP_FLAG_LABEL = "--help, -h";
    private static final String HELP_FLAG_TEXT = "show help";

    private HelpRenderer() {}

    /** {@code bbr}, {@code bbr help}, {@code bbr --help}. */
    public static String app(CommandDef root, String version) {
        StringBuilder out = new StringBuilder();
        out.append("NAME:\n").append(INDENT).append("bbr - ").append(root.usage()).append("\n\n");
        out.append("USAGE:\n").append(INDENT)
                .append("bbr command [command options] [subcommand] [subcommand options]\n\n");
        if (version != null && !version.isEmpty()) {
            out.append("VERSION:\n").append(INDENT).append(version).append("\n\n");
        }
        out.append("COMMANDS:\n");
        appendColumns(out, commandRows(root.subcommands(), false));
        out.append('\n');
        out.append("SUBCOMMANDS:\n");
        for (String sub : List.of("backup", "backup-cleanup", "restore", "restore-cleanup", "pre-backup-check")) {
            out.append(INDENT).append(sub).append('\n');
        }
        return out.toString();
    }

    /** {@code bbr deployment --help}, and what validation failures print before their message. */
    public static String command(CommandDef command, String helpName) {
        StringBuilder out = new StringBuilder();
        out.append("NAME:\n").append(INDENT).append(helpName).append(" - ").append(command.usage()).append("\n\n");
        out.append("USAGE:\n").append(INDENT).append(helpName)
                .append(" [options] subcommand [subcommand options]\n\n");
        out.append("SUBCOMMANDS:\n");
        appendColumns(out, commandRows(command.subcommands(), true));
        out.append('\n');
        out.append("OPTIONS:\n");
        appendColumns(out, flagRows(command.flags()));
        return out.toString();
    }

    /** {@code bbr deployment backup --help}. */
    public static String leaf(CommandDef leaf, String helpName) {
        StringBuilder out = new StringBuilder();
        out.append("NAME:\n").append(INDENT).append(helpName).append(" - ").append(leaf.usage()).append("\n\n");
        out.append("USAGE:\n").append(INDENT).append(helpName).append(" [options]")
                .append(leaf.argument() == null ? "" : " " + leaf.argument()).append("\n\n");
        out.append("OPTIONS:\n");
        appendColumns(out, flagRows(leaf.flags()));
        return out.toString();
    }

    private static List<String[]> commandRows(List<CommandDef> commands, boolean appendHelp) {
        List<String[]> rows = new ArrayList<>();
        for (CommandDef c : commands) {
            rows.add(new String[] {c.helpLabel(), c.usage()});
        }
        if (appendHelp) {
            rows.add(new String[] {"help, h", BbrCommands.HELP_USAGE});
        }
        return rows;
    }

    private static List<String[]> flagRows(List<FlagDef> flags) {
        List<String[]> rows = new ArrayList<>();
        for (FlagDef f : flags) {
            rows.add(new String[] {f.helpLabel(), f.helpText()});
        }
        rows.add(new String[] {HELP_FLAG_LABEL, HELP_FLAG_TEXT});
        return rows;
    }

    /** Two columns padded like Go's tabwriter with padding 2. */
    private static void appendColumns(StringBuilder out, List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
        for (String[] row : rows) {
            out.append(INDENT).append(row[0]).append(" ".repeat(width - row[0].length())).append(row[1]).append('\n');
        }
    }
}
