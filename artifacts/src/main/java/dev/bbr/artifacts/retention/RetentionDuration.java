package dev.bbr.artifacts.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * restic's {@code --keep-within} duration: years, months, days and hours, written like {@code 2y5m7d3h}
 * (any subset, in any order, each unit once). Years, months and days are calendar steps in the
 * retention time zone, hours are elapsed time, so "1d" across a DST change is still "same time yesterday".
 */
public record RetentionDuration(int years, int months, int days, int hours) {
    public static final RetentionDuration ZERO = new RetentionDuration(0, 0, 0, 0);
    static final String EXPECTED = "expected a duration like 2y5m7d3h (y years, m months, d days, h hours)";

    public RetentionDuration {
        if (years < 0 || months < 0 || days < 0 || hours < 0) {
            throw new IllegalArgumentException("a retention duration cannot be negative: " + years + "y" + months + "m" + days + "d" + hours + "h");
        }
    }

    /** Parses restic's syntax; a refusal names the text, what is wrong with it, and the expected form. */
    public static RetentionDuration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        int[] values = new int[4]; // y, m, d, h
        boolean[] seen = new boolean[4];
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start) {
                throw invalid(text, "expected a number at '" + s.substring(start) + "'");
            }
            String number = s.substring(start, i);
            if (i == s.length()) {
                throw invalid(text, "the number " + number + " has no unit");
            }
            char unit = s.charAt(i++);
            int slot = "ymdh".indexOf(unit);
            if (slot < 0) {
                throw invalid(text, "unknown unit '" + unit + "' after " + number);
            }
            if (seen[slot]) {
                throw invalid(text, "the unit '" + unit + "' is given twice");
            }
            seen[slot] = true;
            try {
                values[slot] = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                throw invalid(text, "the number " + number + " is too large");
            }
        }
        return new RetentionDuration(values[0], values[1], values[2], values[3]);
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("invalid duration '" + text + "': " + problem + "; " + EXPECTED);
    }

    public boolean isZero() {
        return years == 0 && months == 0 && days == 0 && hours == 0;
    }

    /** The instant this duration before {@code reference}: calendar parts in {@code zone}, then the hours. */
    Instant before(Instant reference, ZoneId zone) {
        return reference.atZone(zone).minusYears(years).minusMonths(months).minusDays(days).toInstant()
                .minus(Duration.ofHours(hours));
    }

    /** restic's form, zero parts left out: {@code 2y5m7d3h}, {@code 30d}; {@code 0h} for zero. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        append(s, years, 'y');
        append(s, months, 'm');
        append(s, days, 'd');
        append(s, hours, 'h');
        return s.length() == 0 ? "0h" : s.toString();
    }

    private static void append(StringBuilder s, int value, char unit) {
        if (value != 0) {
            s.append(value).append(unit);
        }
    }
}
