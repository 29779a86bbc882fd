package dev.bbr.artifacts.metadata;

import java.util.regex.Pattern;

/**
 * Renders one string as a YAML scalar: plain when that reads back as the same string, otherwise
 * double-quoted with escapes.
 *
 * <p>Plain output for ordinary names is what keeps our files byte-identical to bbr's (yaml.v2 also
 * emits them plain). The "needs quoting" test is deliberately conservative: a quoted scalar is
 * always correct, a wrongly plain one would change meaning (e.g. {@code yes}, {@code 010},
 * {@code a: b}) or break the file (newlines).
 */
final class YamlScalars {
    /** Strings a YAML 1.1 reader (yaml.v2, SnakeYAML) would resolve to bool/null/number/timestamp/merge. */
    private static final Pattern NON_STRING = Pattern.compile(
            "(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
                    + "|~|null|Null|NULL|<<|="
                    + "|[-+]?(?:\\.[0-9]+|[0-9_]+(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
                    + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?"
                    + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)"
                    + "|[-+]?0b[0-1_]+|[-+]?0x[0-9a-fA-F_]+"
                    + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)");

    /** Characters that change meaning at the start of a plain scalar. */
    private static final String LEADING_INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

    private YamlScalars() {
    }

    static String render(String value) {
        return needsQuoting(value) ? doubleQuoted(value) : value;
    }

    static String doubleQuoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\0");
                default -> appendOther(out, value, i, c);
            }
        }
        return out.append('"').toString();
    }

    private static void appendOther(StringBuilder out, String value, int i, char c) {
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            out.append(String.format("\\x%02x", (int) c));
        } else if (c == '\u2028' || c == '\u2029' || c == '\ufeff' || isLoneSurrogate(value, i)) {
            out.append(String.format("\\u%04x", (int) c));
        } else {
            out.append(c);
        }
    }

    static boolean needsQuoting(String value) {
        if (value.isEmpty() || (mayResolveToNonString(value) && NON_STRING.matcher(value).matches())) {
            return true;
        }
        char first = value.charAt(0);
        char last = value.charAt(value.length() - 1);
        if (LEADING_INDICATORS.indexOf(first) >= 0 || first == ' ' || last == ' ' || last == ':') {
            return true;
        }
        if (value.contains(": ") || value.contains(" #")) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || c == '\ufeff' || isLoneSurrogate(value, i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cheap pre-filter for {@link #NON_STRING} (the regex dominates the cost of writing a metadata file
     * with many thousands of paths): only short words and number-like starts can match it.
     */
    private static boolean mayResolveToNonString(String value) {
        if (value.length() <= 5) {
            return true;
        }
        char first = value.charAt(0);
        if (first >= '0' && first <= '9') {
            return true;
        }
        char second = value.charAt(1);
        return (first == '+' || first == '-' || first == '.') && (second == '.' || (second >= '0' && second <= '9'));
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
