package dev.bbr.artifacts.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeriodTest {

    @ParameterizedTest
    @CsvSource({
        // ISO weeks: Monday first; week 1 holds the first Thursday, so years cross over both ways
        "2026-12-31T12:00:00Z, UTC, 2026-W53", // Thursday
        "2027-01-01T12:00:00Z, UTC, 2026-W53", // Friday, still last year's week
        "2027-01-03T23:59:59Z, UTC, 2026-W53", // Sunday ends the week
        "2027-01-04T00:00:00Z, UTC, 2027-W01", // Monday starts the next
        "2025-12-29T00:00:00Z, UTC, 2026-W01", // a December Monday already in next year's week 1
        "2025-12-28T23:59:59Z, UTC, 2025-W52",
        // 2027-01-03 23:30 UTC is Monday 00:30 in Berlin: the next ISO week there
        "2027-01-03T23:30:00Z, Europe/Berlin, 2027-W01",
    })
    void weeksAreIsoWeeksInTheZone(Instant time, ZoneId zone, String label) {
        assertThat(Period.WEEKLY.label(time.atZone(zone))).isEqualTo(label);
    }

    @ParameterizedTest
    @CsvSource({
        "HOURLY,  2026-12-05 23h",
        "DAILY,   2026-12-05",
        "MONTHLY, 2026-12",
        "YEARLY,  2026",
    })
    void labelsNameThePeriod(Period period, String label) {
        assertThat(period.label(Instant.parse("2026-12-05T23:30:00Z").atZone(ZoneOffset.UTC))).isEqualTo(label);
    }

    @ParameterizedTest
    @CsvSource({
        "DAILY,   2027-01-01",
        "MONTHLY, 2027-01",
        "YEARLY,  2027",
    })
    void newYearsEveInUtcIsNewYearInBerlin(Period period, String label) {
        assertThat(period.label(Instant.parse("2026-12-31T23:30:00Z").atZone(ZoneId.of("Europe/Berlin")))).isEqualTo(label);
    }
}
