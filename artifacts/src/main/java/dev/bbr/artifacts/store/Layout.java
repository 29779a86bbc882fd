package dev.bbr.artifacts.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Where a backup sits under a store's root ({@code --layout}): {@code flat}, Go bbr's
 * {@code <root>/<deployment>_<ts>/}, or {@code dated}, service-backup's
 * {@code <root>/<deployment>/YYYY/MM/DD/<deployment>_<ts>/} (UTC date), which keeps object-store
 * listings per deployment and day short.
 */
public enum Layout {
    FLAT, DATED;

    /** Parses {@code flat} or {@code dated}, with a one-line error naming the value. */
    public static Layout parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "flat" -> FLAT;
            case "dated" -> DATED;
            default -> throw new IllegalArgumentException("invalid layout \"" + value + "\": expected flat or dated");
        };
    }

    /** The backup's path relative to the store's root, '/'-separated, without a trailing slash. */
    public String pathOf(String deployment, Instant time) {
        String name = BbrLayout.backupName(deployment, time);
        if (this == FLAT) {
            return name;
        }
        ZonedDateTime utc = time.atZone(ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%s/%04d/%02d/%02d/%s", deployment, utc.getYear(), utc.getMonthValue(),
                utc.getDayOfMonth(), name);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
