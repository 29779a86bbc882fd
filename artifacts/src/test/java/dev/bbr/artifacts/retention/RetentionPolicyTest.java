package dev.bbr.artifacts.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    @Test
    void anEmptyPolicyIsRefusedWithWhatToGiveInstead() {
        assertThatThrownBy(() -> RetentionPolicy.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refusing an empty retention policy, which would delete every backup but the newest:"
                        + " give at least one of --keep-last, --keep-hourly, --keep-daily, --keep-weekly, --keep-monthly,"
                        + " --keep-yearly (a count above 0, or -1 for all) or --keep-within (a duration above 0)");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepLast(0).keepDaily(0).keepWithin(RetentionDuration.parse("0d")).build())
                .hasMessageStartingWith("refusing an empty retention policy");
    }

    @Test
    void countsBelowMinusOneAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> RetentionPolicy.builder().keepDaily(7).keepWeekly(-2).build())
                .hasMessage("invalid --keep-weekly -2: expected a number of backups to keep (0 or more, or -1 for all)");
    }

    @Test
    void anyOneRuleIsEnough() {
        assertThat(RetentionPolicy.builder().keepYearly(1).build().yearly()).isEqualTo(1);
        assertThat(RetentionPolicy.builder().keepHourly(-1).build().hourly()).isEqualTo(RetentionPolicy.UNLIMITED);
        assertThat(RetentionPolicy.builder().keepWithin(RetentionDuration.parse("1h")).build().within().hours()).isEqualTo(1);
    }

    @Test
    void describesItselfLikeRestic() {
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(3).keepDaily(7).keepMonthly(-1)
                .keepWithin(RetentionDuration.parse("30d")).build();

        assertThat(policy).hasToString("keep 3 last, 7 daily, all monthly backups and all within 30d of the newest");
        assertThat(RetentionPolicy.builder().keepWithin(RetentionDuration.parse("2y")).build())
                .hasToString("keep all within 2y of the newest");
    }
}
