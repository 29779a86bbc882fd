package dev.bbr.cli.command;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.ParseResult;

/**
 * A command's flag values after precedence is applied: the flag as typed, else the first non-empty
 * environment variable of the flag, else the flag's default.
 */
public final class ResolvedFlags {
    private final ParseResult parsed;
    private final Map<String, String> env;

    public ResolvedFlags(ParseResult parsed, Map<String, String> env) {
        this.parsed = parsed;
        this.env = env;
    }

    public boolean isSet(FlagDef flag) {
        return parsed != null && parsed.hasMatchedOption("--" + flag.name());
    }

    /** The value, or "" when nothing supplies one (as Go's zero value). */
    public String string(FlagDef flag) {
        if (isSet(flag)) {
            String value = parsed.matchedOptionValue("--" + flag.name(), "");
            return value == null ? "" : value;
        }
        for (String var : flag.envVars()) {
            String value = env.get(var);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return flag.defaultValue() == null ? "" : flag.defaultValue();
    }

    /** Every value of a repeatable flag, in the order given; empty when it was not given. */
    public java.util.List<String> strings(FlagDef flag) {
        if (!isSet(flag)) {
            return java.util.List.of();
        }
        String[] values = parsed.matchedOptionValue("--" + flag.name(), new String[0]);
        return java.util.List.of(values);
    }

    /** The first positional argument of a leaf ({@code PATH}), or "" when none was given. */
    public String argument() {
        List<String> all = arguments();
        return all.isEmpty() ? "" : all.get(0);
    }

    /** Every positional argument of a leaf, in order ({@code SOURCE DESTINATION}). */
    public List<String> arguments() {
        if (parsed == null || parsed.matchedPositionals().isEmpty()) {
            return List.of();
        }
        String[] values = parsed.matchedPositionalValue(0, new String[0]);
        return values == null ? List.of() : List.of(values);
    }

    public boolean bool(FlagDef flag) {
        return isSet(flag) && Boolean.TRUE.equals(parsed.matchedOptionValue("--" + flag.name(), Boolean.FALSE));
    }

    /** One of the allowed values, or a {@link UsageException} naming the flag and the choices. */
    public String choice(FlagDef flag, java.util.List<String> allowed) {
        String value = string(flag);
        if (!allowed.contains(value)) {
            throw new UsageException("invalid value \"" + value + "\" for flag -" + flag.name() + ": expected "
                    + String.join(" or ", allowed));
        }
        return value;
    }

    /** A positive whole number, or a {@link UsageException} naming the flag. */
    public int positiveInt(FlagDef flag) {
        String raw = string(flag);
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value \"" + raw + "\" for flag -" + flag.name()
                    + ": expected a whole number of 1 or more");
        }
    }

    /**
     * A number of bytes: digits with an optional binary unit ({@code 512M}, {@code 1G}, {@code 2.5T};
     * {@code K}, {@code M}, {@code G}, {@code T}, also written {@code KiB} or {@code KB}), or
     * {@code off}, which gives -1.
     */
    public long byteSize(FlagDef flag) {
        String raw = string(flag).trim();
        if (raw.equalsIgnoreCase("off")) {
            return -1;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:i?B)?")
                .matcher(raw);
        if (!m.matches()) {
            throw new UsageException("invalid value \"" + raw + "\" for flag -" + flag.name()
                    + ": expected a size such as 512M, 1G or 10G, or off");
        }
        int shift = 10 * "KMGT".indexOf(m.group(2).isEmpty() ? "_" : m.group(2).toUpperCase()) + 10;
        double bytes = Double.parseDouble(m.group(1)) * (m.group(2).isEmpty() ? 1 : Math.pow(2, shift));
        return (long) Math.ceil(bytes);
    }
}
