package dev.bbr.artifacts.retention;

import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * The calendar periods of the GFS rules, each with the label of the period a time falls in. Labels are
 * unique per period, so equal labels mean the same bucket; weeks are ISO weeks (Monday first, week 1
 * holds the year's first Thursday), so 2027-01-01 is in 2026-W53.
 */
enum Period {
    HOURLY("hourly", "hours"),
    DAILY("daily", "days"),
    WEEKLY("weekly", "weeks"),
    MONTHLY("monthly", "months"),
    YEARLY("yearly", "years");

    final String adjective;
    final String plural;

    Period(String adjective, String plural) {
        this.adjective = adjective;
        this.plural = plural;
    }

    String label(ZonedDateTime t) {
        switch (this) {
            case HOURLY:
                return String.format(Locale.ROOT, "%04d-%02d-%02d %02dh", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
            case DAILY:
                return String.format(Locale.ROOT, "%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
            case WEEKLY:
                return String.format(Locale.ROOT, "%04d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTHLY:
                return String.format(Locale.ROOT, "%04d-%02d", t.getYear(), t.getMonthValue());
            default:
                return String.format(Locale.ROOT, "%04d", t.getYear());
        }
    }

    int count(RetentionPolicy policy) {
        switch (this) {
            case HOURLY:
                return policy.hourly();
            case DAILY:
                return policy.daily();
            case WEEKLY:
                return policy.weekly();
            case MONTHLY:
                return policy.monthly();
            default:
                return policy.yearly();
        }
    }
}
