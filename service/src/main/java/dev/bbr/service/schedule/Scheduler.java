package dev.bbr.service.schedule;

import dev.bbr.service.config.ServiceConfig;
import dev.bbr.service.config.ServiceConfig.Job;
import dev.bbr.service.log.ServiceLog;
import dev.bbr.service.state.ServiceState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When each job runs. Pure bookkeeping over a {@link Clock}: {@link #start()} deals with what was
 * missed while the service was down, {@link #tick()} fires everything due and says when to look
 * again; the {@link SchedulerLoop} waits in between. Tests drive it with a clock they move.
 *
 * <p>An occurrence is due at its cron time plus a random jitter (at most the job's {@code jitter});
 * one found more than {@link #LATE} after that (the service was down, the machine suspended, the
 * clock jumped) is missed, and the job's {@code missed} policy runs it once or skips it. Several
 * missed occurrences of a job count as one.
 */
public final class Scheduler {
    /** How late an occurrence may be found and still run as scheduled. */
    public static final Duration LATE = Duration.ofMinutes(1);
    /** Occurrences counted when reporting what was missed (an every-second schedule after a week away). */
    private static final int MAX_COUNTED = 10_000;

    /** Starts a job run; overlap and the lease are its business. */
    @FunctionalInterface
    public interface Dispatcher {
        void fire(Job job, String trigger, Instant occurrence);
    }

    private final Clock clock;
    private final ServiceState state;
    private final RandomGenerator random;
    private final Dispatcher dispatcher;
    private final ServiceLog log;
    private final java.util.function.Consumer<String> onMissed;
    private final Map<String, Planned> plan = new LinkedHashMap<>();
    private final List<Job> jobs;
    private final Optional<CronSchedule> digest;
    private final Runnable digestAction;
    private Instant nextDigest;

    /** The next occurrence of a job and when it is due (the occurrence plus its jitter). */
    public record Planned(Instant occurrence, Instant due) {}

    public Scheduler(List<Job> jobs, Optional<CronSchedule> digest, Runnable digestAction, Clock clock,
            ServiceState state, RandomGenerator random, Dispatcher dispatcher, ServiceLog log,
            java.util.function.Consumer<String> onMissed) {
        this.jobs = List.copyOf(jobs);
        this.digest = digest;
        this.digestAction = digestAction;
        this.clock = clock;
        this.state = state;
        this.random = random;
        this.dispatcher = dispatcher;
        this.log = log;
        this.onMissed = onMissed;
    }

    /**
     * Plans every job from its last occurrence dealt with (a job new to this state directory starts
     * from now: it does not run for the past); what was missed since follows the job's policy.
     */
    public synchronized void start() {
        Instant now = clock.instant();
        for (Job job : jobs) {
            Optional<Instant> last = state.lastOccurrence(job.name());
            if (last.isEmpty()) {
                planNext(job, now);
                continue;
            }
            List<Instant> missed = new ArrayList<>();
            Optional<Instant> o = job.schedule().next(last.get());
            while (o.isPresent() && o.get().isBefore(now.minus(LATE)) && missed.size() < MAX_COUNTED) {
                missed.add(o.get());
                o = job.schedule().next(o.get());
            }
            if (!missed.isEmpty()) {
                missed(job, missed, missed.size() == MAX_COUNTED, true);
            }
            planNext(job, missed.isEmpty() ? last.get() : missed.get(missed.size() - 1));
        }
        digest.ifPresent(d -> nextDigest = d.next(now).orElse(null));
    }

    /**
     * Fires what is due now and returns when to call again (empty: nothing is ever due again). When
     * several occurrences of a job are due at once (the process was suspended), the newest runs if it
     * is on time and the older ones are reported as missed; when even the newest is late, the job's
     * missed policy decides.
     */
    public synchronized Optional<Instant> tick() {
        Instant now = clock.instant();
        for (Job job : jobs) {
            Planned p = plan.get(job.name());
            List<Instant> due = new ArrayList<>();
            Planned newest = null;
            while (p != null && !p.due().isAfter(now) && due.size() < MAX_COUNTED) {
                due.add(p.occurrence());
                newest = p;
                p = planNext(job, p.occurrence());
            }
            if (newest == null) {
                continue;
            }
            if (now.isAfter(newest.due().plus(LATE))) {
                missed(job, due, due.size() == MAX_COUNTED, true);
                continue;
            }
            if (due.size() > 1) {
                missed(job, due.subList(0, due.size() - 1), false, false);
            }
            handled(job, newest.occurrence());
            dispatcher.fire(job, "schedule", newest.occurrence());
        }
        if (nextDigest != null && !nextDigest.isAfter(now)) {
            if (!now.isAfter(nextDigest.plus(LATE))) {
                digestAction.run();
            }
            nextDigest = digest.flatMap(d -> d.next(now)).orElse(null);
        }
        return nextDue();
    }

    /** Every job's next occurrence (for {@code validate}, the API and {@code /metrics}). */
    public synchronized Map<String, Planned> planned() {
        return Map.copyOf(plan);
    }

    private Optional<Instant> nextDue() {
        Optional<Instant> next = plan.values().stream().map(Planned::due).min(Instant::compareTo);
        if (nextDigest != null && (next.isEmpty() || nextDigest.isBefore(next.get()))) {
            return Optional.of(nextDigest);
        }
        return next;
    }

    private Planned planNext(Job job, Instant after) {
        Optional<Instant> next = job.schedule().next(after);
        if (next.isEmpty()) {
            plan.remove(job.name());
            return null;
        }
        long jitterMillis = job.jitter().toMillis();
        Instant due = jitterMillis <= 0 ? next.get() : next.get().plusMillis(random.nextLong(jitterMillis + 1));
        Planned planned = new Planned(next.get(), due);
        plan.put(job.name(), planned);
        return planned;
    }

    /**
     * Reports missed occurrences; with {@code policyApplies} the job's policy runs the newest of them
     * once (or skips them), otherwise a run that is due now covers them.
     */
    private void missed(Job job, List<Instant> occurrences, boolean more, boolean policyApplies) {
        Instant last = occurrences.get(occurrences.size() - 1);
        boolean runOnce = policyApplies && job.missed() == ServiceConfig.Missed.RUN_ONCE;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("job", job.name());
        fields.put("missed", occurrences.size());
        fields.put("first_missed", occurrences.get(0).toString());
        fields.put("last_missed", last.toString());
        fields.put("policy", job.missed() == ServiceConfig.Missed.RUN_ONCE ? "run_once" : "skip");
        String what = !policyApplies ? "the run due now covers them"
                : runOnce ? "running it once now" : "skipped, as its missed policy says";
        log.warn("job_missed", (more ? "At least " : "") + occurrences.size() + " occurrence"
                + (occurrences.size() == 1 ? "" : "s") + " of " + job.name() + " missed (last " + last + "); " + what,
                fields);
        handled(job, last);
        if (runOnce) {
            dispatcher.fire(job, "missed", last);
        } else {
            onMissed.accept(job.name());
        }
    }

    private void handled(Job job, Instant occurrence) {
        try {
            state.occurrenceHandled(job.name(), occurrence);
        } catch (IOException e) {
            log.warn("state_write_failed", "Could not record the occurrence of " + job.name() + ": " + e.getMessage(),
                    Map.of("job", job.name()));
        }
    }
}
