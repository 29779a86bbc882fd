package dev.bbr.service.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.service.config.ServiceConfig;
import dev.bbr.service.config.ServiceConfig.Job;
import dev.bbr.service.log.ServiceLog;
import dev.bbr.service.state.ServiceState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler against a clock the test moves: when jobs fire, jitter, downtime and late wake-ups. */
class SchedulerTest {
    @TempDir
    Path stateDir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T01:59:30Z"));
    private final List<String> fired = new ArrayList<>();
    private final List<String> missed = new ArrayList<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private long jitterMillis;

    private Scheduler scheduler(ServiceState state, Job... jobs) {
        RandomGenerator fixed = new RandomGenerator() {
            @Override
            public long nextLong() {
                return jitterMillis;
            }

            @Override
            public long nextLong(long bound) {
                assertThat(jitterMillis).isLessThan(bound);
                return jitterMillis;
            }
        };
        return new Scheduler(List.of(jobs), Optional.empty(), () -> { }, clock, state, fixed,
                (job, trigger, occurrence) -> fired.add(job.name() + " " + trigger + " " + occurrence),
                new ServiceLog(new PrintStream(logged, true, StandardCharsets.UTF_8), clock, "svc"), missed::add);
    }

    private static Job job(String name, String cron, ZoneId zone, Duration jitter, ServiceConfig.Missed policy) {
        return new Job(name, ServiceConfig.JobType.PRUNE, CronSchedule.parse(cron, zone), jitter, policy,
                new ServiceConfig.Selection(true, List.of(), false), Optional.empty());
    }

    private static Job nightly(ServiceConfig.Missed policy) {
        return job("nightly", "0 2 * * *", ZoneId.of("UTC"), Duration.ZERO, policy);
    }

    @Test
    void firesAtTheCronTimeAndSaysWhenToLookAgain() throws Exception {
        Scheduler s = scheduler(ServiceState.open(stateDir), nightly(ServiceConfig.Missed.SKIP));
        s.start();
        assertThat(s.tick()).contains(Instant.parse("2026-12-07T02:00:00Z"));
        assertThat(fired).isEmpty();

        clock.set(Instant.parse("2026-12-07T02:00:00.010Z"));
        assertThat(s.tick()).contains(Instant.parse("2026-12-08T02:00:00Z"));
        assertThat(fired).containsExactly("nightly schedule 2026-12-07T02:00:00Z");
        assertThat(s.tick()).as("nothing fires twice").contains(Instant.parse("2026-12-08T02:00:00Z"));
        assertThat(fired).hasSize(1);
    }

    @Test
    void aSixFieldScheduleRunsEverySecondsAndATimeZoneShiftsIt() throws Exception {
        Scheduler s = scheduler(ServiceState.open(stateDir),
                job("fast", "*/3 * * * * *", ZoneId.of("UTC"), Duration.ZERO, ServiceConfig.Missed.SKIP),
                job("berlin", "0 3 * * *", ZoneId.of("Europe/Berlin"), Duration.ZERO, ServiceConfig.Missed.SKIP));
        s.start();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(3));
            s.tick();
        }
        assertThat(fired).containsExactly("fast schedule 2026-12-07T01:59:33Z", "fast schedule 2026-12-07T01:59:36Z",
                "fast schedule 2026-12-07T01:59:39Z", "fast schedule 2026-12-07T01:59:42Z");
        assertThat(s.planned().get("berlin").occurrence()).as("03:00 in Berlin in winter")
                .isEqualTo(Instant.parse("2026-12-07T02:00:00Z"));
    }

    @Test
    void jitterDelaysTheRunWithinItsBound() throws Exception {
        jitterMillis = 90_000;
        Scheduler s = scheduler(ServiceState.open(stateDir),
                job("j", "0 2 * * *", ZoneId.of("UTC"), Duration.ofMinutes(5), ServiceConfig.Missed.SKIP));
        s.start();
        assertThat(s.planned().get("j").due()).isEqualTo(Instant.parse("2026-12-07T02:01:30Z"));
        clock.set(Instant.parse("2026-12-07T02:01:29Z"));
        s.tick();
        assertThat(fired).isEmpty();
        clock.set(Instant.parse("2026-12-07T02:01:30Z"));
        s.tick();
        assertThat(fired).as("the occurrence keeps its cron time").containsExactly("j schedule 2026-12-07T02:00:00Z");
    }

    @Test
    void aJobNewToTheStateDoesNotRunForThePast() throws Exception {
        clock.set(Instant.parse("2026-12-07T02:00:20Z"));
        Scheduler s = scheduler(ServiceState.open(stateDir), nightly(ServiceConfig.Missed.RUN_ONCE));
        s.start();
        s.tick();
        assertThat(fired).isEmpty();
        assertThat(s.planned().get("nightly").occurrence()).isEqualTo(Instant.parse("2026-12-08T02:00:00Z"));
    }

    @Test
    void afterDowntimeRunOnceRunsTheMissedOccurrencesOnceAndSkipOnlyTellsOfThem() throws Exception {
        ServiceState state = ServiceState.open(stateDir);
        state.occurrenceHandled("nightly", Instant.parse("2026-12-04T02:00:00Z"));
        clock.set(Instant.parse("2026-12-07T09:00:00Z"));
        Scheduler s = scheduler(state, nightly(ServiceConfig.Missed.RUN_ONCE));
        s.start();
        assertThat(fired).containsExactly("nightly missed 2026-12-07T02:00:00Z");
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("\"type\":\"job_missed\"", "\"missed\":3",
                "\"first_missed\":\"2026-12-05T02:00:00Z\"");
        assertThat(ServiceState.open(stateDir).lastOccurrence("nightly"))
                .as("remembered across a restart").contains(Instant.parse("2026-12-07T02:00:00Z"));

        fired.clear();
        ServiceState skipping = ServiceState.open(stateDir.resolve("other"));
        skipping.occurrenceHandled("nightly", Instant.parse("2026-12-04T02:00:00Z"));
        Scheduler skip = scheduler(skipping, nightly(ServiceConfig.Missed.SKIP));
        skip.start();
        assertThat(fired).isEmpty();
        assertThat(missed).containsExactly("nightly");
        assertThat(skip.planned().get("nightly").occurrence()).isEqualTo(Instant.parse("2026-12-08T02:00:00Z"));
    }

    @Test
    void aLateWakeUpRunsOnlyTheNewestDueOccurrence() throws Exception {
        Scheduler s = scheduler(ServiceState.open(stateDir),
                job("fast", "*/2 * * * * *", ZoneId.of("UTC"), Duration.ZERO, ServiceConfig.Missed.RUN_ONCE));
        s.start();
        clock.advance(Duration.ofSeconds(21)); // the process was suspended for 21 s
        s.tick();
        assertThat(fired).containsExactly("fast schedule 2026-12-07T01:59:50Z");
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("the run due now covers them");

        fired.clear();
        Scheduler hourly = scheduler(ServiceState.open(stateDir.resolve("hourly")),
                job("hourly", "0 * * * *", ZoneId.of("UTC"), Duration.ZERO, ServiceConfig.Missed.RUN_ONCE));
        hourly.start();
        clock.set(Instant.parse("2026-12-07T02:10:00Z")); // 02:00 found 10 minutes late: the policy decides
        hourly.tick();
        assertThat(fired).containsExactly("hourly missed 2026-12-07T02:00:00Z");
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

}
