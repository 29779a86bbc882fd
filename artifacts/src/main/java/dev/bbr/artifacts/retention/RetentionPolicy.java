package dev.bbr.artifacts.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * restic's {@code forget} policy: keep the last N backups, the newest backup of each of the last N
 * hours/days/ISO weeks/months/years that have one, and every backup within a duration of the newest.
 * Rules are unioned. A count of {@link #UNLIMITED} (-1, as in restic) keeps every such period. A policy
 * that keeps nothing is refused: it would delete every backup but the newest.
 */
public record RetentionPolicy(int last, int hourly, int daily, int weekly, int monthly, int yearly, RetentionDuration within) {
    public static final int UNLIMITED = -1;

    public RetentionPolicy {
        Objects.requireNonNull(within, "within");
        check("--keep-last", last);
        check("--keep-hourly", hourly);
        check("--keep-daily", daily);
        check("--keep-weekly", weekly);
        check("--keep-monthly", monthly);
        check("--keep-yearly", yearly);
        if (last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0 && within.isZero()) {
            throw new IllegalArgumentException("refusing an empty retention policy, which would delete every backup"
                    + " but the newest: give at least one of --keep-last, --keep-hourly, --keep-daily, --keep-weekly,"
                    + " --keep-monthly, --keep-yearly (a count above 0, or -1 for all) or --keep-within (a duration above 0)");
        }
    }

    private static void check(String flag, int count) {
        if (count < UNLIMITED) {
            throw new IllegalArgumentException("invalid " + flag + " " + count
                    + ": expected a number of backups to keep (0 or more, or -1 for all)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** restic's wording: {@code keep 3 last, 7 daily, all monthly backups and all within 30d of the newest}. */
    @Override
    public String toString() {
        List<String> counts = new ArrayList<>();
        addCount(counts, last, "last");
        addCount(counts, hourly, "hourly");
        addCount(counts, daily, "daily");
        addCount(counts, weekly, "weekly");
        addCount(counts, monthly, "monthly");
        addCount(counts, yearly, "yearly");
        String text = counts.isEmpty() ? "" : String.join(", ", counts) + " backups";
        if (!within.isZero()) {
            text += (text.isEmpty() ? "" : " and ") + "all within " + within + " of the newest";
        }
        return "keep " + text;
    }

    private static void addCount(List<String> counts, int count, String what) {
        if (count == UNLIMITED) {
            counts.add("all " + what);
        } else if (count > 0) {
            counts.add(count + " " + what);
        }
    }

    /** Named setters for the six counts and the duration; everything not set is 0 (off). */
    public static final class Builder {
        private int last;
        private int hourly;
        private int daily;
        private int weekly;
        private int monthly;
        private int yearly;
        private RetentionDuration within = RetentionDuration.ZERO;

        private Builder() {
        }

        public Builder keepLast(int n) {
            last = n;
            return this;
        }

        public Builder keepHourly(int n) {
            hourly = n;
            return this;
        }

        public Builder keepDaily(int n) {
            daily = n;
            return this;
        }

        public Builder keepWeekly(int n) {
            weekly = n;
            return this;
        }

        public Builder keepMonthly(int n) {
            monthly = n;
            return this;
        }

        public Builder keepYearly(int n) {
            yearly = n;
            return this;
        }

        public Builder keepWithin(RetentionDuration duration) {
            within = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** @throws IllegalArgumentException for a negative count below -1, or when nothing is kept at all */
        public RetentionPolicy build() {
            return new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, within);
        }
    }
}
