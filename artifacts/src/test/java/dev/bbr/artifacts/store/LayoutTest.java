package dev.bbr.artifacts.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayoutTest {
    private static final Instant T = Instant.parse("2026-12-07T02:03:04.567Z");

    @Test
    void parsesFlatAndDatedInAnyCase() {
        assertThat(Layout.parse("flat")).isEqualTo(Layout.FLAT);
        assertThat(Layout.parse("dated")).isEqualTo(Layout.DATED);
        assertThat(Layout.parse("DATED")).isEqualTo(Layout.DATED);
        assertThat(Layout.parse("Flat")).isEqualTo(Layout.FLAT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "daily", "flat ", "dated/"})
    void anythingElseIsRefusedNamingTheValue(String value) {
        assertThatThrownBy(() -> Layout.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid layout \"" + value + "\": expected flat or dated");
    }

    @Test
    void labelsParseBack() {
        for (Layout layout : Layout.values()) {
            assertThat(Layout.parse(layout.label())).isEqualTo(layout);
        }
        assertThat(Layout.DATED.label()).isEqualTo("dated");
    }

    @Test
    void flatIsGoBbrsBackupNameAtTheRoot() {
        assertThat(Layout.FLAT.pathOf("redis", T)).isEqualTo("redis_20261207T020304Z");
    }

    @Test
    void datedNestsTheBackupUnderDeploymentAndUtcDate() {
        assertThat(Layout.DATED.pathOf("redis", T)).isEqualTo("redis/2026/12/07/redis_20261207T020304Z");
    }

    @Test
    void datedPadsMonthAndDay() {
        assertThat(Layout.DATED.pathOf("cf", Instant.parse("2027-01-05T00:00:00Z")))
                .isEqualTo("cf/2027/01/05/cf_20270105T000000Z");
    }

    @Test
    void theDateIsUtcWhateverTheDefaultZone() {
        java.util.TimeZone saved = java.util.TimeZone.getDefault();
        try {
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Pacific/Auckland"));
            assertThat(Layout.DATED.pathOf("redis", Instant.parse("2026-12-31T23:59:59Z")))
                    .isEqualTo("redis/2026/12/31/redis_20261231T235959Z");
        } finally {
            java.util.TimeZone.setDefault(saved);
        }
    }

    @Test
    void theBackupNameIsTheLastSegmentOfBothLayouts() {
        for (Layout layout : Layout.values()) {
            String path = layout.pathOf("redis", T);
            assertThat(path.substring(path.lastIndexOf('/') + 1)).isEqualTo(BbrLayout.backupName("redis", T));
            assertThat(path).doesNotEndWith("/").doesNotStartWith("/");
        }
    }
}
