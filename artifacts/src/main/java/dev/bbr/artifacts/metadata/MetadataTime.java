package dev.bbr.artifacts.metadata;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats times like Go's layout {@code "2006/01/02 15:04:05 MST"}, which bbr uses in the metadata.
 *
 * <p>Go prints the zone abbreviation of the local zone; for a zone without a name (a bare offset) Go
 * prints the numeric offset, and for UTC it prints {@code UTC} — Java would print {@code Z}, so both
 * cases are handled here explicitly.
 */
public final class MetadataTime {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("z", Locale.ROOT);
    private static final DateTimeFormatter NUMERIC_OFFSET = DateTimeFormatter.ofPattern("xx", Locale.ROOT);

    private MetadataTime() {
    }

    /** Current time in the clock's zone (the jumpbox local zone for {@code Clock.systemDefaultZone()}). */
    public static String now(Clock clock) {
        return format(ZonedDateTime.now(clock));
    }

    public static String format(ZonedDateTime time) {
        return DATE_TIME.format(time) + " " + zone(time);
    }

    private static String zone(ZonedDateTime time) {
        if (time.getZone() instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "UTC" : NUMERIC_OFFSET.format(time);
        }
        return ZONE_NAME.format(time);
    }
}
