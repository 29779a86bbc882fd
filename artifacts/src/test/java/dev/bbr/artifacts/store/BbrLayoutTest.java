package dev.bbr.artifacts.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BbrLayoutTest {

    @Test
    void backupNameIsDeploymentAndUtcSecond() {
        assertThat(BbrLayout.backupName("redis", Instant.parse("2026-12-07T02:00:00.999Z")))
                .isEqualTo("redis_20261207T020000Z");
    }

    @Test
    void aJobArtifactIsGroupIndexJobDotTar() {
        assertThat(BbrLayout.fileName(ArtifactId.of("redis", "0", "redis-server")))
                .isEqualTo("redis-0-redis-server.tar");
    }

    @Test
    void aCustomArtifactIsItsNameDotTar() {
        assertThat(BbrLayout.fileName(ArtifactId.custom("redis-server-redis-backup-one-restore-all")))
                .isEqualTo("redis-server-redis-backup-one-restore-all.tar");
    }

    @Test
    void theStoredSuffixFollowsDotTar() {
        ArtifactId id = ArtifactId.of("bosh", "7f2e", "director");
        assertThat(BbrLayout.fileName(id, ".zst.age")).isEqualTo("bosh-7f2e-director.tar.zst.age");
        assertThat(BbrLayout.fileName(id, "")).isEqualTo(BbrLayout.fileName(id));
    }

    @Test
    void namesThatWouldLeaveTheBackupAreRefused() {
        assertThatThrownBy(() -> BbrLayout.fileName(ArtifactId.of("..", "0", "x/../../etc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a plain file name: '..-0-x/../../etc.tar'");
        assertThatThrownBy(() -> BbrLayout.fileName(ArtifactId.custom("a/b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "/etc", "nul\0byte"})
    void requirePlainRefuses(String name) {
        assertThatThrownBy(() -> BbrLayout.requirePlain(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requirePlainRefusesNullAndKeepsPlainNames() {
        assertThatThrownBy(() -> BbrLayout.requirePlain(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(BbrLayout.requirePlain("..metadata")).isEqualTo("..metadata");
        assertThat(BbrLayout.requirePlain(".bbr-lock-redis.json")).isEqualTo(".bbr-lock-redis.json");
    }

    @Test
    void deploymentAndTimeOfABackupName() {
        assertThat(BbrLayout.deploymentOf("redis_20261207T020000Z")).contains("redis");
        assertThat(BbrLayout.timeOf("redis_20261207T020000Z")).contains(Instant.parse("2026-12-07T02:00:00Z"));
    }

    @Test
    void aDeploymentNameMayContainUnderscores() {
        assertThat(BbrLayout.deploymentOf("cf_prod_eu_20261207T020000Z")).contains("cf_prod_eu");
        assertThat(BbrLayout.timeOf("cf_prod_eu_20261207T020000Z")).contains(Instant.parse("2026-12-07T02:00:00Z"));
    }

    @Test
    void nameAndParseRoundTrip() {
        Instant t = Instant.parse("2031-02-28T23:59:59Z");
        String name = BbrLayout.backupName("my-dep", t);
        assertThat(BbrLayout.deploymentOf(name)).contains("my-dep");
        assertThat(BbrLayout.timeOf(name)).contains(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "redis_", "_20261207T020000Z", "redis_20261207T0200Z", "redis_20261207T020000",
            "redis-20261207T020000Z", "redis_20261207T020000Z.tmp", "redis_2026120T7020000Z"})
    void otherNamesAreNotBbrs(String name) {
        assertThat(BbrLayout.deploymentOf(name)).isEmpty();
        assertThat(BbrLayout.timeOf(name)).isEmpty();
    }

    @Test
    void anImpossibleTimeHasNoTime() {
        assertThat(BbrLayout.timeOf("redis_20261307T020000Z")).isEmpty();
        assertThat(BbrLayout.timeOf("redis_20261207T250000Z")).isEmpty();
    }
}
