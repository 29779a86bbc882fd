package dev.bbr.artifacts.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetentionDurationTest {

    @ParameterizedTest
    @CsvSource({
        "2y5m7d3h, 2, 5, 7, 3, 2y5m7d3h",
        "3h,       0, 0, 0, 3, 3h",
        "30d,      0, 0, 30, 0, 30d",
        "3h7d,     0, 0, 7, 3, 7d3h",
        "1y,       1, 0, 0, 0, 1y",
        "' 12m ',  0, 12, 0, 0, 12m",
        "0d,       0, 0, 0, 0, 0h",
        "0010d,    0, 0, 10, 0, 10d",
    })
    void parsesResticSyntax(String text, int y, int m, int d, int h, String printed) {
        RetentionDuration duration = RetentionDuration.parse(text);

        assertThat(duration).isEqualTo(new RetentionDuration(y, m, d, h));
        assertThat(duration.toString()).isEqualTo(printed);
        assertThat(RetentionDuration.parse(printed)).isEqualTo(duration);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|it is empty",
        "5|the number 5 has no unit",
        "3w|unknown unit 'w' after 3",
        "d|expected a number at 'd'",
        "1d2d|the unit 'd' is given twice",
        "-1d|expected a number at '-1d'",
        "1.5d|unknown unit '.' after 1",
        "7 d|unknown unit ' ' after 7",
        "99999999999d|the number 99999999999 is too large",
        "2Y|unknown unit 'Y' after 2",
    })
    void refusesAnythingElseSayingWhatIsWrong(String text, String problem) {
        assertThatThrownBy(() -> RetentionDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration '" + text + "': " + problem + "; " + RetentionDuration.EXPECTED);
    }

    @Test
    void zeroIsZero() {
        assertThat(RetentionDuration.parse("0y0h").isZero()).isTrue();
        assertThat(RetentionDuration.parse("1h").isZero()).isFalse();
    }

    @Test
    void calendarPartsStepInTheZoneAndHoursAreElapsedTime() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2026-03-29 02:00 CET -> 03:00 CEST: that calendar day has 23 hours
        Instant afterSwitch = Instant.parse("2026-03-29T10:00:00Z"); // 12:00 CEST

        assertThat(RetentionDuration.parse("1d").before(afterSwitch, berlin)).isEqualTo("2026-03-28T11:00:00Z"); // 12:00 CET
        assertThat(RetentionDuration.parse("24h").before(afterSwitch, berlin)).isEqualTo("2026-03-28T10:00:00Z");
    }

    /** Java clamps to the month's end where Go's AddDate (restic) would roll over into March: a documented difference. */
    @Test
    void aMonthBeforeTheThirtyFirstIsTheEndOfTheShorterMonth() {
        assertThat(RetentionDuration.parse("1m").before(Instant.parse("2026-03-31T12:00:00Z"), ZoneOffset.UTC))
                .isEqualTo("2026-02-28T12:00:00Z");
        assertThat(RetentionDuration.parse("1y2m3d4h").before(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC))
                .isEqualTo("2025-10-02T08:00:00Z");
    }

    @Test
    void negativePartsAreRefused() {
        assertThatThrownBy(() -> new RetentionDuration(0, -1, 0, 0)).hasMessageContaining("cannot be negative");
    }
}
