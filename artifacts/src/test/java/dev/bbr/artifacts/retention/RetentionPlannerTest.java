package dev.bbr.artifacts.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.bbr.artifacts.store.BbrLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Table tests: each lists backups (complete unless marked), a policy, and the exact outcome per backup
 * (newest first), reasons as {@code --dry-run} prints them.
 */
class RetentionPlannerTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration GRACE = Duration.ofHours(24);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    // --- restic's rules ------------------------------------------------------------------------

    @Test
    void keepLastKeepsTheNewestN() {
        Map<String, String> outcome = outcome(policy().keepLast(3), List.of(
                done("2026-12-01T10:00:00Z"), done("2026-12-02T10:00:00Z"), done("2026-12-03T10:00:00Z"),
                done("2026-12-04T10:00:00Z"), done("2026-12-05T10:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-05T10:00:00Z", "keep: newest complete backup, keep: last 3"),
                entry("2026-12-04T10:00:00Z", "keep: last 3"),
                entry("2026-12-03T10:00:00Z", "keep: last 3"),
                entry("2026-12-02T10:00:00Z", "delete: not selected by any policy"),
                entry("2026-12-01T10:00:00Z", "delete: not selected by any policy"));
    }

    @Test
    void keepDailyKeepsTheNewestBackupOfEachOfTheLastNDays() {
        Map<String, String> outcome = outcome(policy().keepDaily(2), List.of(
                done("2026-12-05T22:00:00Z"), done("2026-12-05T06:00:00Z"),
                done("2026-12-04T22:00:00Z"), done("2026-12-04T06:00:00Z"),
                done("2026-12-03T22:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-05T22:00:00Z", "keep: newest complete backup, keep: daily 2026-12-05"),
                entry("2026-12-05T06:00:00Z", "delete: not selected by any policy"),
                entry("2026-12-04T22:00:00Z", "keep: daily 2026-12-04"),
                entry("2026-12-04T06:00:00Z", "delete: not selected by any policy"),
                entry("2026-12-03T22:00:00Z", "delete: not selected by any policy"));
    }

    @Test
    void onlyDaysThatHoldABackupCount() {
        Map<String, String> outcome = outcome(policy().keepDaily(3), List.of(
                done("2026-12-10T10:00:00Z"), done("2026-12-09T10:00:00Z"), done("2026-12-05T10:00:00Z"),
                done("2026-12-01T10:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-10T10:00:00Z", "keep: newest complete backup, keep: daily 2026-12-10"),
                entry("2026-12-09T10:00:00Z", "keep: daily 2026-12-09"),
                entry("2026-12-05T10:00:00Z", "keep: daily 2026-12-05"), // the gap days do not use up the count
                entry("2026-12-01T10:00:00Z", "delete: not selected by any policy"));
    }

    /** restic: with counts left at the oldest backup, it is kept too, so history reaches back as far as it can. */
    @Test
    void fewerDaysThanRequestedKeepsTheOldestBackupToo() {
        Map<String, String> outcome = outcome(policy().keepDaily(7), List.of(
                done("2026-12-05T10:00:00Z"), done("2026-12-05T08:00:00Z"),
                done("2026-12-04T10:00:00Z"), done("2026-12-04T08:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-05T10:00:00Z", "keep: newest complete backup, keep: daily 2026-12-05"),
                entry("2026-12-05T08:00:00Z", "delete: not selected by any policy"),
                entry("2026-12-04T10:00:00Z", "keep: daily 2026-12-04"),
                entry("2026-12-04T08:00:00Z", "keep: daily 2026-12-04 (oldest backup; fewer than 7 days have backups)"));
    }

    @Test
    void whenTheCountIsUsedUpTheOldestIsNotKept() {
        Map<String, String> outcome = outcome(policy().keepDaily(2), List.of(
                done("2026-12-05T10:00:00Z"), done("2026-12-04T10:00:00Z"), done("2026-12-04T08:00:00Z")));

        assertThat(outcome).containsEntry("2026-12-04T08:00:00Z", "delete: not selected by any policy");
    }

    @Test
    void minusOneKeepsEveryPeriod() {
        Map<String, String> outcome = outcome(policy().keepMonthly(RetentionPolicy.UNLIMITED), List.of(
                done("2026-12-05T10:00:00Z"), done("2026-12-01T10:00:00Z"), done("2026-03-01T10:00:00Z"),
                done("2020-01-01T10:00:00Z"), done("2020-01-01T09:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-05T10:00:00Z", "keep: newest complete backup, keep: monthly 2026-12"),
                entry("2026-12-01T10:00:00Z", "delete: not selected by any policy"),
                entry("2026-03-01T10:00:00Z", "keep: monthly 2026-03"),
                entry("2020-01-01T10:00:00Z", "keep: monthly 2020-01"),
                entry("2020-01-01T09:00:00Z", "keep: monthly 2020-01 (oldest backup)"));
    }

    @Test
    void keepHourly() {
        Map<String, String> outcome = outcome(policy().keepHourly(2), List.of(
                done("2026-12-05T10:45:00Z"), done("2026-12-05T10:15:00Z"), done("2026-12-05T09:30:00Z"),
                done("2026-12-05T08:30:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-05T10:45:00Z", "keep: newest complete backup, keep: hourly 2026-12-05 10h"),
                entry("2026-12-05T10:15:00Z", "delete: not selected by any policy"),
                entry("2026-12-05T09:30:00Z", "keep: hourly 2026-12-05 09h"),
                entry("2026-12-05T08:30:00Z", "delete: not selected by any policy"));
    }

    @Test
    void weeksAreIsoWeeksAcrossTheYearBoundary() {
        Map<String, String> outcome = outcome(policy().keepWeekly(2), List.of(
                done("2027-01-04T06:00:00Z"),   // Monday: 2027-W01
                done("2027-01-03T20:00:00Z"),   // Sunday: 2026-W53
                done("2027-01-01T06:00:00Z"),   // Friday: 2026-W53
                done("2026-12-31T06:00:00Z"),   // Thursday: 2026-W53
                done("2026-12-27T06:00:00Z"))); // Sunday: 2026-W52

        assertThat(outcome).containsExactly(
                entry("2027-01-04T06:00:00Z", "keep: newest complete backup, keep: weekly 2027-W01"),
                entry("2027-01-03T20:00:00Z", "keep: weekly 2026-W53"),
                entry("2027-01-01T06:00:00Z", "delete: not selected by any policy"),
                entry("2026-12-31T06:00:00Z", "delete: not selected by any policy"),
                entry("2026-12-27T06:00:00Z", "delete: not selected by any policy"));
    }

    @Test
    void monthlyAndYearly() {
        Map<String, String> outcome = outcome(policy().keepMonthly(2).keepYearly(3), List.of(
                done("2026-12-05T10:00:00Z"), done("2026-11-30T10:00:00Z"), done("2026-11-01T10:00:00Z"),
                done("2026-10-15T10:00:00Z"), done("2025-06-01T10:00:00Z"), done("2025-01-01T10:00:00Z"),
                done("2023-12-31T10:00:00Z"), done("2022-05-05T10:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-05T10:00:00Z", "keep: newest complete backup, keep: monthly 2026-12, keep: yearly 2026"),
                entry("2026-11-30T10:00:00Z", "keep: monthly 2026-11"),
                entry("2026-11-01T10:00:00Z", "delete: not selected by any policy"),
                entry("2026-10-15T10:00:00Z", "delete: not selected by any policy"),
                entry("2025-06-01T10:00:00Z", "keep: yearly 2025"),
                entry("2025-01-01T10:00:00Z", "delete: not selected by any policy"),
                entry("2023-12-31T10:00:00Z", "keep: yearly 2023"),
                entry("2022-05-05T10:00:00Z", "delete: not selected by any policy"));
    }

    @Test
    void policiesAreUnionedAndOneBackupCanSatisfySeveral() {
        Map<String, String> outcome = outcome(policy().keepLast(1).keepDaily(2).keepWeekly(2).keepMonthly(2), List.of(
                done("2026-12-05T10:00:00Z"),   // Saturday, W49
                done("2026-12-04T10:00:00Z"),   // Friday, W49
                done("2026-12-03T10:00:00Z"),
                done("2026-11-29T10:00:00Z"),   // Sunday, W48
                done("2026-11-20T10:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-05T10:00:00Z", "keep: newest complete backup, keep: last 1, keep: daily 2026-12-05,"
                        + " keep: weekly 2026-W49, keep: monthly 2026-12"),
                entry("2026-12-04T10:00:00Z", "keep: daily 2026-12-04"),
                entry("2026-12-03T10:00:00Z", "delete: not selected by any policy"),
                entry("2026-11-29T10:00:00Z", "keep: weekly 2026-W48, keep: monthly 2026-11"),
                entry("2026-11-20T10:00:00Z", "delete: not selected by any policy"));
    }

    @Test
    void keepWithinIsMeasuredFromTheNewestCompleteBackupNotFromNow() {
        Instant muchLater = Instant.parse("2027-06-01T00:00:00Z"); // backups stopped months ago: keep-within still keeps the last ones
        RetentionPlan plan = planner(policy().keepWithin(RetentionDuration.parse("2d"))).plan(List.of(
                done("2026-12-05T10:00:00Z"), done("2026-12-04T10:00:00Z"), done("2026-12-03T10:00:01Z"),
                done("2026-12-03T10:00:00Z"), done("2026-12-01T10:00:00Z")), muchLater);

        assertThat(outcome(plan)).containsExactly(
                entry("2026-12-05T10:00:00Z", "keep: newest complete backup, keep: within 2d of the newest complete backup"),
                entry("2026-12-04T10:00:00Z", "keep: within 2d of the newest complete backup"),
                entry("2026-12-03T10:00:01Z", "keep: within 2d of the newest complete backup"),
                entry("2026-12-03T10:00:00Z", "delete: not selected by any policy"), // exactly 2d before: not within (restic)
                entry("2026-12-01T10:00:00Z", "delete: not selected by any policy"));
    }

    /** A clock that was ahead must not make keep-within measure from the future and drop everything real. */
    @Test
    void keepWithinIgnoresBackupsDatedInTheFutureWhenFindingTheNewest() {
        Map<String, String> outcome = outcome(policy().keepWithin(RetentionDuration.parse("1d")), List.of(
                done("2027-03-01T00:00:00Z"), done("2026-12-06T08:00:00Z"), done("2026-12-05T09:00:00Z"),
                done("2026-12-05T07:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2027-03-01T00:00:00Z", "keep: newest complete backup, keep: within 1d of the newest complete backup"),
                entry("2026-12-06T08:00:00Z", "keep: within 1d of the newest complete backup"),
                entry("2026-12-05T09:00:00Z", "keep: within 1d of the newest complete backup"),
                entry("2026-12-05T07:00:00Z", "delete: not selected by any policy"));
    }

    // --- time zones ------------------------------------------------------------------------------

    @Test
    void daysBeginInTheGivenZone() {
        List<BackupRef> backups = List.of(
                done("2026-12-05T23:30:00Z"),   // Dec 5 in UTC, Dec 6 00:30 in Berlin
                done("2026-12-05T12:00:00Z"),
                done("2026-12-04T12:00:00Z"));

        assertThat(outcome(planner(policy().keepDaily(2), ZoneOffset.UTC).plan(backups, NOW))).containsExactly(
                entry("2026-12-05T23:30:00Z", "keep: newest complete backup, keep: daily 2026-12-05"),
                entry("2026-12-05T12:00:00Z", "delete: not selected by any policy"),
                entry("2026-12-04T12:00:00Z", "keep: daily 2026-12-04"));
        assertThat(outcome(planner(policy().keepDaily(2), BERLIN).plan(backups, NOW))).containsExactly(
                entry("2026-12-05T23:30:00Z", "keep: newest complete backup, keep: daily 2026-12-06"),
                entry("2026-12-05T12:00:00Z", "keep: daily 2026-12-05"),
                entry("2026-12-04T12:00:00Z", "delete: not selected by any policy"));
    }

    @Test
    void weeksBeginOnMondayInTheGivenZone() {
        List<BackupRef> backups = List.of(
                done("2026-12-06T23:30:00Z"),   // Sunday in UTC (W49), Monday in Berlin (W50)
                done("2026-12-06T10:00:00Z"),
                done("2026-11-30T10:00:00Z"));

        assertThat(outcome(planner(policy().keepWeekly(2), ZoneOffset.UTC).plan(backups, NOW)).values()).containsExactly(
                "keep: newest complete backup, keep: weekly 2026-W49",
                "delete: not selected by any policy",
                "keep: weekly 2026-W49 (oldest backup; fewer than 2 weeks have backups)");
        assertThat(outcome(planner(policy().keepWeekly(2), BERLIN).plan(backups, NOW)).values()).containsExactly(
                "keep: newest complete backup, keep: weekly 2026-W50",
                "keep: weekly 2026-W49",
                "delete: not selected by any policy");
    }

    // --- our additions ---------------------------------------------------------------------------

    @Test
    void incompleteBackupsNeitherCountNorAreKeptByQuotas() {
        Map<String, String> outcome = outcome(policy().keepLast(2).keepDaily(7), List.of(
                failed("2026-12-06T11:00:00Z"),   // running or died an hour ago
                failed("2026-12-05T11:00:00Z"),   // alone on its day, a day and an hour old
                done("2026-12-04T10:00:00Z"),
                done("2026-12-03T10:00:00Z"),
                done("2026-12-02T10:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-06T11:00:00Z", "keep: incomplete, within 24h grace (may still be running)"),
                entry("2026-12-05T11:00:00Z", "delete: incomplete, older than 24h grace"),
                entry("2026-12-04T10:00:00Z", "keep: newest complete backup, keep: last 2, keep: daily 2026-12-04"),
                entry("2026-12-03T10:00:00Z", "keep: last 2, keep: daily 2026-12-03"),
                entry("2026-12-02T10:00:00Z", "keep: daily 2026-12-02"));
    }

    @Test
    void theGraceEndsStrictlyAfterItsLength() {
        Map<String, String> outcome = outcome(policy().keepLast(1), List.of(
                done("2026-12-01T00:00:00Z"),
                failed("2026-12-05T12:00:00Z"),    // exactly 24h before now
                failed("2026-12-05T11:59:59Z"),
                failed("2026-12-07T00:00:00Z")));  // dated after now (clock skew): young

        assertThat(outcome).containsExactly(
                entry("2026-12-07T00:00:00Z", "keep: incomplete, within 24h grace (may still be running)"),
                entry("2026-12-05T12:00:00Z", "keep: incomplete, within 24h grace (may still be running)"),
                entry("2026-12-05T11:59:59Z", "delete: incomplete, older than 24h grace"),
                entry("2026-12-01T00:00:00Z", "keep: newest complete backup, keep: last 1"));
    }

    @Test
    void theGraceIsWrittenTheWayAnOperatorWouldTypeIt() {
        RetentionPlan plan = new RetentionPlanner(policy().keepLast(1).build(), ZoneOffset.UTC, Duration.ofMinutes(90))
                .plan(List.of(failed("2026-12-06T08:00:00Z")), NOW);

        assertThat(plan.decisions().get(0).reasons()).containsExactly("delete: incomplete, older than 1h30m grace");
    }

    @Test
    void theNewestCompleteBackupIsKeptEvenIfItIsOldAndOnlyFailuresFollowed() {
        Map<String, String> outcome = outcome(policy().keepWithin(RetentionDuration.parse("1h")), List.of(
                failed("2026-12-06T10:00:00Z"), failed("2026-12-03T10:00:00Z"), failed("2026-12-02T10:00:00Z"),
                done("2026-10-01T10:00:00Z"), done("2026-09-30T10:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-06T10:00:00Z", "keep: incomplete, within 24h grace (may still be running)"),
                entry("2026-12-03T10:00:00Z", "delete: incomplete, older than 24h grace"),
                entry("2026-12-02T10:00:00Z", "delete: incomplete, older than 24h grace"),
                entry("2026-10-01T10:00:00Z", "keep: newest complete backup, keep: within 1h of the newest complete backup"),
                entry("2026-09-30T10:00:00Z", "delete: not selected by any policy"));
    }

    @Test
    void aDeploymentWithOnlyIncompleteBackupsKeepsOnlyTheYoungOnes() {
        Map<String, String> outcome = outcome(policy().keepLast(5), List.of(
                failed("2026-12-06T10:00:00Z"), failed("2026-12-01T10:00:00Z")));

        assertThat(outcome).containsExactly(
                entry("2026-12-06T10:00:00Z", "keep: incomplete, within 24h grace (may still be running)"),
                entry("2026-12-01T10:00:00Z", "delete: incomplete, older than 24h grace"));
    }

    @Test
    void eachDeploymentIsDecidedOnItsOwn() {
        RetentionPlan plan = planner(policy().keepLast(1)).plan(List.of(
                ref("redis", "2026-12-05T10:00:00Z", true),
                ref("cf", "2026-12-06T10:00:00Z", true),
                ref("redis", "2026-12-04T10:00:00Z", true),
                ref("cf", "2026-12-05T10:00:00Z", true),
                ref("mysql", "2026-11-01T10:00:00Z", true)), NOW);

        assertThat(plan.decisions()).extracting(RetentionDecision::toString).containsExactly(
                "cf/cf_20261206T100000Z: keep: newest complete backup, keep: last 1",
                "cf/cf_20261205T100000Z: delete: not selected by any policy",
                "mysql/mysql_20261101T100000Z: keep: newest complete backup, keep: last 1",
                "redis/redis_20261205T100000Z: keep: newest complete backup, keep: last 1",
                "redis/redis_20261204T100000Z: delete: not selected by any policy");
        assertThat(plan.toDelete()).extracting(BackupRef::label)
                .containsExactly("cf/cf_20261205T100000Z", "redis/redis_20261204T100000Z");
        assertThat(plan.toKeep()).hasSize(3);
    }

    @Test
    void equalTimesAreBrokenByNameWhateverTheInputOrder() {
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        BackupRef a = new BackupRef("redis", "redis_a", t, true);
        BackupRef b = new BackupRef("redis", "redis_b", t, true);
        BackupRef older = new BackupRef("redis", "redis_older", t.minusSeconds(60), true);
        RetentionPlanner planner = planner(policy().keepDaily(1));

        for (List<BackupRef> input : List.of(List.of(a, b, older), List.of(older, b, a), List.of(b, older, a))) {
            RetentionPlan plan = planner.plan(input, NOW);
            assertThat(plan.decisions()).extracting(RetentionDecision::toString).containsExactly(
                    "redis/redis_b: keep: newest complete backup, keep: daily 2026-12-05",
                    "redis/redis_a: delete: not selected by any policy",
                    "redis/redis_older: delete: not selected by any policy");
        }
    }

    @Test
    void keepLastCountsEachOfEqualTimesSeparately() {
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        RetentionPlan plan = planner(policy().keepLast(2)).plan(List.of(
                new BackupRef("redis", "redis_a", t, true), new BackupRef("redis", "redis_b", t, true),
                new BackupRef("redis", "redis_c", t, true)), NOW);

        assertThat(plan.toKeep()).extracting(BackupRef::name).containsExactly("redis_c", "redis_b");
    }

    @Test
    void noBackupsNoDecisions() {
        assertThat(planner(policy().keepLast(1)).plan(List.of(), NOW).decisions()).isEmpty();
    }

    @Test
    void aBackupListedTwiceIsRefused() {
        BackupRef once = done("2026-12-05T10:00:00Z");

        assertThatThrownBy(() -> planner(policy().keepLast(1)).plan(List.of(once, once), NOW))
                .hasMessage("backup redis/redis_20261205T100000Z is listed twice");
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertThatThrownBy(() -> new RetentionPlanner(policy().keepLast(1).build(), ZoneOffset.UTC, Duration.ofHours(-1)))
                .hasMessageContaining("cannot be negative");
    }

    @Test
    void decisionForFindsABackupsDecision() {
        BackupRef old = done("2026-12-01T10:00:00Z");
        RetentionPlan plan = planner(policy().keepLast(1)).plan(List.of(done("2026-12-05T10:00:00Z"), old), NOW);

        assertThat(plan.decisionFor(old).delete()).isTrue();
        assertThatThrownBy(() -> plan.decisionFor(done("2020-01-01T00:00:00Z"))).hasMessageContaining("no decision for");
    }

    /**
     * Invariants over random histories and policies: the newest complete backup always survives, an
     * incomplete backup is never kept by a quota, every reason agrees with its verdict, every input gets
     * exactly one decision, and the input order changes nothing.
     */
    @Test
    void invariantsHoldForRandomHistoriesAndPolicies() {
        Random random = new Random(2026);
        for (int round = 0; round < 300; round++) {
            List<BackupRef> backups = new ArrayList<>();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                String deployment = List.of("cf", "redis", "mysql").get(random.nextInt(3));
                Instant time = NOW.minusSeconds(random.nextInt(3 * 365 * 24 * 3600)).plusSeconds(random.nextInt(3) == 0 ? 7200 : 0);
                backups.add(new BackupRef(deployment, deployment + "_" + i, time, random.nextInt(4) != 0));
            }
            RetentionPolicy policy = randomPolicy(random);
            ZoneId zone = random.nextBoolean() ? BERLIN : ZoneId.of("America/Los_Angeles");
            RetentionPlanner planner = new RetentionPlanner(policy, zone, GRACE);

            RetentionPlan plan = planner.plan(backups, NOW);

            assertThat(plan.decisions()).hasSameSizeAs(backups);
            for (String deployment : List.of("cf", "redis", "mysql")) {
                backups.stream().filter(b -> b.deployment().equals(deployment) && b.complete())
                        .min(RetentionPlanner.NEWEST_FIRST)
                        .ifPresent(newest -> assertThat(plan.decisionFor(newest).keep()).as("%s with %s", newest, policy).isTrue());
            }
            for (RetentionDecision d : plan.decisions()) {
                String verdict = d.keep() ? "keep: " : "delete: ";
                assertThat(d.reasons()).allSatisfy(r -> assertThat(r).startsWith(verdict));
                if (!d.backup().complete()) {
                    assertThat(d.reasons()).singleElement().asString().contains("incomplete");
                }
            }
            List<BackupRef> shuffled = new ArrayList<>(backups);
            Collections.shuffle(shuffled, random);
            assertThat(planner.plan(shuffled, NOW)).isEqualTo(plan);
        }
    }

    private static RetentionPolicy randomPolicy(Random random) {
        while (true) {
            try {
                return RetentionPolicy.builder()
                        .keepLast(randomCount(random)).keepHourly(randomCount(random)).keepDaily(randomCount(random))
                        .keepWeekly(randomCount(random)).keepMonthly(randomCount(random)).keepYearly(randomCount(random))
                        .keepWithin(random.nextInt(4) == 0 ? new RetentionDuration(0, random.nextInt(3), random.nextInt(10), random.nextInt(48))
                                : RetentionDuration.ZERO)
                        .build();
            } catch (IllegalArgumentException empty) {
                // drew an empty policy; draw again
            }
        }
    }

    private static int randomCount(Random random) {
        int r = random.nextInt(10);
        return r < 6 ? 0 : r == 9 ? RetentionPolicy.UNLIMITED : random.nextInt(5);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static RetentionPolicy.Builder policy() {
        return RetentionPolicy.builder();
    }

    private static RetentionPlanner planner(RetentionPolicy.Builder policy) {
        return planner(policy, ZoneOffset.UTC);
    }

    private static RetentionPlanner planner(RetentionPolicy.Builder policy, ZoneId zone) {
        return new RetentionPlanner(policy.build(), zone, GRACE);
    }

    private static Map<String, String> outcome(RetentionPolicy.Builder policy, List<BackupRef> backups) {
        return outcome(planner(policy).plan(backups, NOW));
    }

    /** Backup time → its reasons joined, in the plan's order (newest first). */
    private static Map<String, String> outcome(RetentionPlan plan) {
        Map<String, String> outcome = new LinkedHashMap<>();
        for (RetentionDecision d : plan.decisions()) {
            outcome.put(d.backup().time().toString(), String.join(", ", d.reasons()));
        }
        return outcome;
    }

    private static BackupRef done(String time) {
        return ref("redis", time, true);
    }

    private static BackupRef failed(String time) {
        return ref("redis", time, false);
    }

    private static BackupRef ref(String deployment, String time, boolean complete) {
        Instant t = Instant.parse(time);
        return new BackupRef(deployment, BbrLayout.backupName(deployment, t), t, complete);
    }
}
