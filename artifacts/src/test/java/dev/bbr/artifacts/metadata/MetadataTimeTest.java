package dev.bbr.artifacts.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class MetadataTimeTest {
    private static final Instant T = Instant.parse("2024-01-02T15:04:05Z");

    @Test
    void formatsLikeGoLayoutWithZoneAbbreviation() {
        assertThat(MetadataTime.format(T.atZone(ZoneId.of("UTC")))).isEqualTo("2024/01/02 15:04:05 UTC");
        assertThat(MetadataTime.format(T.atZone(ZoneId.of("Etc/UTC")))).isEqualTo("2024/01/02 15:04:05 UTC");
        assertThat(MetadataTime.format(T.atZone(ZoneId.of("Europe/Berlin")))).isEqualTo("2024/01/02 16:04:05 CET");
        assertThat(MetadataTime.format(T.atZone(ZoneId.of("America/New_York")))).isEqualTo("2024/01/02 10:04:05 EST");
    }

    @Test
    void bareOffsetsPrintLikeGo() {
        assertThat(MetadataTime.format(ZonedDateTime.ofInstant(T, ZoneOffset.UTC))).isEqualTo("2024/01/02 15:04:05 UTC");
        assertThat(MetadataTime.format(ZonedDateTime.ofInstant(T, ZoneOffset.ofHoursMinutes(5, 30))))
                .isEqualTo("2024/01/02 20:34:05 +0530");
    }

    @Test
    void nowUsesTheClocksZone() {
        assertThat(MetadataTime.now(Clock.fixed(T, ZoneId.of("Europe/Berlin")))).isEqualTo("2024/01/02 16:04:05 CET");
    }
}
