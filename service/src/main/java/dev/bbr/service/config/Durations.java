package dev.bbr.service.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in the config: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 1h30m}, {@code 0}. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String text) {
        String t = text.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (!WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. 30s, 5m, 2h, 1d or 1h30m");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return total;
    }

    /** The shortest way the config would write it ({@code 90s} → {@code 1m30s}). */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long seconds = d.getSeconds();
        if (seconds / 86400 > 0) {
            out.append(seconds / 86400).append('d');
        }
        if (seconds % 86400 / 3600 > 0) {
            out.append(seconds % 86400 / 3600).append('h');
        }
        if (seconds % 3600 / 60 > 0) {
            out.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0) {
            out.append(seconds % 60).append('s');
        }
        if (d.getNano() > 0) {
            out.append(d.toMillisPart()).append("ms");
        }
        return out.toString();
    }
}
