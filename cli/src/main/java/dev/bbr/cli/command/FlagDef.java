package dev.bbr.cli.command;

import java.util.ArrayList;
import java.util.List;

/**
 * One flag as bbr (urfave/cli v1) defines it: a name, optional alias, the environment variables
 * that supply its default (first non-empty wins) and the usage text shown in help.
 *
 * @param name         long name without dashes, e.g. {@code target}
 * @param alias        short or second name without dashes, e.g. {@code t} or {@code key}; null if none
 * @param bool         true for a switch that takes no value
 * @param envVars      environment variables consulted when the flag is absent, in order
 * @param usage        help text
 * @param defaultValue value used when neither the flag nor an environment variable is set; shown in help
 * @param repeatable   the flag may be given more than once; every value counts ({@code --encrypt-to})
 */
public record FlagDef(String name, String alias, boolean bool, List<String> envVars, String usage, String defaultValue,
        boolean repeatable) {

    public FlagDef(String name, String alias, boolean bool, List<String> envVars, String usage, String defaultValue) {
        this(name, alias, bool, envVars, usage, defaultValue, false);
    }

    /** A value flag that may be repeated, each value kept, in order. */
    public static FlagDef repeatable(String name, String usage) {
        return new FlagDef(name, null, false, List.of(), usage, null, true);
    }

    public static FlagDef string(String name, String alias, String usage, String... envVars) {
        return new FlagDef(name, alias, false, List.of(envVars), usage, null);
    }

    public static FlagDef bool(String name, String usage) {
        return new FlagDef(name, null, true, List.of(), usage, null);
    }

    public static FlagDef number(String name, String usage, int defaultValue) {
        return new FlagDef(name, null, false, List.of(), usage, Integer.toString(defaultValue));
    }

    /** Go's flag package accepts {@code -name} and {@code --name} alike; so do we. */
    public List<String> acceptedSpellings() {
        List<String> spellings = new ArrayList<>();
        for (String n : alias == null ? List.of(name) : List.of(name, alias)) {
            spellings.add("--" + n);
            spellings.add("-" + n);
        }
        return spellings;
    }

    /** The spelling shown in help, as urfave/cli prints it: one dash for one letter, two otherwise. */
    static String displayName(String n) {
        return (n.length() == 1 ? "-" : "--") + n;
    }

    /** Left column of the help line, e.g. {@code --target value, -t value}. */
    public String helpLabel() {
        String suffix = bool ? "" : " value";
        String label = displayName(name) + suffix;
        if (alias != null) {
            label += ", " + displayName(alias) + suffix;
        }
        return label;
    }

    /** Right column of the help line, e.g. {@code BOSH Director URL [$BOSH_ENVIRONMENT]}. */
    public String helpText() {
        StringBuilder text = new StringBuilder(usage);
        if (defaultValue != null) {
            text.append(" (default: ").append(defaultValue).append(')');
        }
        if (!envVars.isEmpty()) {
            text.append(" [").append(String.join(", ", envVars.stream().map(v -> "$" + v).toList())).append(']');
        }
        return text.toString();
    }
}
