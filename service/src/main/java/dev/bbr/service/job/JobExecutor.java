package dev.bbr.service.job;

import dev.bbr.app.BbrApp;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.core.event.Level;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.workflow.RunContext;
import dev.bbr.service.config.ServiceConfig;
import dev.bbr.service.config.ServiceConfig.Job;
import dev.bbr.service.lease.JobLease;
import dev.bbr.service.log.ServiceLog;
import dev.bbr.service.metrics.ServiceMetrics;
import dev.bbr.service.notify.Messages;
import dev.bbr.service.notify.Notifications;
import dev.bbr.service.state.ServiceState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs jobs: never two runs of one job at once (a run still going when the next time comes is
 * skipped with a log line), only with the job's lease in the store (another service holding it
 * means it runs the job; this one skips), and every run ends in the history, the metrics, its log
 * lines and, when it failed (or on success when asked), a notification. {@link #stop} cancels every
 * run through the same {@link Cancellation} the CLI's signals use, so the workflows unlock, clean up
 * and mark their backups incomplete, and waits for them.
 */
public final class JobExecutor {
    /** How {@link #start} went. */
    public enum Start { STARTED, OVERLAP, LEASE_HELD, STOPPING }

    /** A started run's id (or the reason it did not start). */
    public record Started(Start outcome, String runId, String detail) {}

    private final ServiceConfig config;
    private final BbrApp app;
    private final ServiceLog log;
    private final Clock clock;
    private final JobLease lease;
    private final ServiceState state;
    private final ServiceMetrics metrics;
    private final Notifications notifications;
    private final Messages messages;
    private final Map<String, Cancellation> running = new ConcurrentHashMap<>();
    private final List<RunLock> heldLeases = new ArrayList<>();
    private final ExecutorService runs = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bbr-service-job");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService releases = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bbr-service-lease-release");
        t.setDaemon(true);
        return t;
    });
    private boolean stopping;

    public JobExecutor(ServiceConfig config, BbrApp app, ServiceLog log, Clock clock, JobLease lease, ServiceState state,
            ServiceMetrics metrics, Notifications notifications, Messages messages) {
        this.config = config;
        this.app = app;
        this.log = log;
        this.clock = clock;
        this.lease = lease;
        this.state = state;
        this.metrics = metrics;
        this.notifications = notifications;
        this.messages = messages;
    }

    /**
     * Starts a run of {@code job} on a thread of its own.
     *
     * @param trigger    {@code schedule}, {@code missed} or {@code api}
     * @param occurrence the scheduled time it runs for; null for a run asked through the API
     */
    public Started start(Job job, String trigger, Instant occurrence) {
        String runId = RunContext.newRunId();
        Cancellation cancellation = new Cancellation();
        synchronized (this) {
            if (stopping) {
                return new Started(Start.STOPPING, null, "the service is stopping");
            }
            if (running.putIfAbsent(job.name(), cancellation) != null) {
                skipped(job, "overlap", occurrence, "the previous run of " + job.name() + " is still running");
                return new Started(Start.OVERLAP, null, "the previous run is still running");
            }
        }
        JobLease.Outcome taken = lease.acquire(job.name(), runId);
        if (taken.heldBy() != null) {
            running.remove(job.name());
            skipped(job, "lease", occurrence, "another service runs it: " + taken.heldBy());
            return new Started(Start.LEASE_HELD, null, taken.heldBy());
        }
        JobContext context = new JobContext(config, job, app, runId, cancellation, log, clock);
        Map<String, Object> fields = context.fields(null);
        fields.put("trigger", trigger);
        if (occurrence != null) {
            fields.put("scheduled_for", occurrence.toString());
        }
        log.run(runId, Level.INFO, "job_started", "Starting " + job.type().label() + " job " + job.name(), fields);
        metrics.started(job.name());
        runs.execute(() -> run(context, trigger, occurrence, taken));
        return new Started(Start.STARTED, runId, null);
    }

    private void run(JobContext context, String trigger, Instant occurrence, JobLease.Outcome taken) {
        Job job = context.job();
        Instant startedAt = clock.instant();
        long started = System.nanoTime();
        List<JobRun.DeploymentResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try {
            if (taken.error() != null) {
                errors.add("the job's lease could not be taken in the destination: " + taken.error());
            } else {
                results.addAll(action(job.type()).run(context));
            }
        } catch (Exception e) {
            errors.add(e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            taken.lock().ifPresent(l -> release(l, job, occurrence));
            running.remove(job.name());
        }
        if (!errors.isEmpty() && results.isEmpty()) {
            // a run that failed before reaching any deployment still shows on the dashboard (deployment "")
            results.add(Results.failure("", "job", null, String.join("; ", errors), started));
        }
        Instant finishedAt = clock.instant();
        boolean cancelled = context.cancellation().isCancelled();
        boolean failed = !errors.isEmpty() || results.stream().anyMatch(r -> !r.succeeded());
        String result = cancelled && failed ? JobRun.CANCELLED : failed ? JobRun.FAILURE : JobRun.SUCCESS;
        JobRun run = new JobRun(context.runId(), job.name(), job.type().label(), trigger,
                occurrence == null ? null : occurrence.toString(), startedAt.toString(), finishedAt.toString(), result,
                Results.seconds(started), results, errors);
        finished(context, run, finishedAt);
    }

    private void finished(JobContext context, JobRun run, Instant finishedAt) {
        for (JobRun.DeploymentResult d : run.deployments()) {
            Map<String, Object> fields = context.fields(d.deployment());
            fields.put("result", d.result());
            fields.put("phase", d.phase());
            fields.put("artifact", d.artifact());
            fields.put("duration_in_seconds", d.durationSeconds());
            if (d.bytes() > 0) {
                fields.put("size_in_bytes", d.bytes());
            }
            if (d.kept() >= 0) {
                fields.put("backups_kept", d.kept());
            }
            fields.put("error", d.error());
            log.run(run.runId(), d.succeeded() ? Level.INFO : Level.ERROR, "deployment_finished",
                    run.job() + " " + d.result() + " for " + (d.deployment().isEmpty() ? "the job" : d.deployment())
                            + (d.error() == null ? "" : ": " + d.error()), fields);
        }
        Map<String, Object> fields = context.fields(null);
        fields.put("result", run.result());
        fields.put("duration_in_seconds", run.durationSeconds());
        fields.put("deployments", run.deployments().size());
        fields.put("errors", run.errors());
        log.run(run.runId(), run.succeeded() ? Level.INFO : Level.ERROR, "job_finished",
                "Finished " + run.type() + " job " + run.job() + ": " + run.result(), fields);
        try {
            state.record(run);
        } catch (IOException e) {
            log.warn("state_write_failed", "Could not record the run in the history: " + e.getMessage(),
                    Map.of("job", run.job()));
        }
        metrics.finished(run, finishedAt);
        if (!run.succeeded() || config.notifications().onSuccess()) {
            notifications.send(messages.jobFinished(run));
        }
    }

    /**
     * Gives the lease back. A scheduled occurrence keeps it a while (the config's {@code lease.hold},
     * plus the job's jitter, at most half the way to the next occurrence): a second service whose clock
     * or jitter puts it a little later then finds it still taken instead of running the occurrence
     * again.
     */
    private void release(RunLock held, Job job, Instant occurrence) {
        Instant now = clock.instant();
        Instant until = occurrence == null ? now : occurrence.plus(holdFor(job, occurrence));
        long delay = Duration.between(now, until).toMillis();
        if (delay <= 0) {
            held.close();
            return;
        }
        synchronized (heldLeases) {
            heldLeases.add(held);
        }
        releases.schedule(() -> {
            synchronized (heldLeases) {
                heldLeases.remove(held);
            }
            held.close();
        }, delay, TimeUnit.MILLISECONDS);
    }

    Duration holdFor(Job job, Instant occurrence) {
        Duration hold = config.lease().hold().plus(job.jitter());
        Duration half = job.schedule().next(occurrence).map(n -> Duration.between(occurrence, n).dividedBy(2))
                .orElse(hold);
        return hold.compareTo(half) < 0 ? hold : half;
    }

    private void skipped(Job job, String reason, Instant occurrence, String why) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("job", job.name());
        fields.put("job_type", job.type().label());
        fields.put("reason", reason);
        if (occurrence != null) {
            fields.put("scheduled_for", occurrence.toString());
        }
        fields.put("destination_name", config.destinationName());
        log.info("job_skipped", "Skipped " + job.name() + (occurrence == null ? "" : " of " + occurrence) + ": " + why,
                fields);
        metrics.skipped(job.name(), reason);
    }

    private static JobAction action(ServiceConfig.JobType type) {
        return switch (type) {
            case BACKUP -> new BackupAction();
            case PRUNE -> new PruneAction();
            case VERIFY -> new VerifyAction();
            case DRILL -> new DrillAction();
        };
    }

    /** Whether a run of the job is in progress here. */
    public boolean isRunning(String job) {
        return running.containsKey(job);
    }

    /**
     * Starts no new run, cancels the running ones (they unlock, clean up and mark their backups
     * incomplete) and waits for them, then gives back every lease.
     */
    public void stop(Duration wait) {
        synchronized (this) {
            stopping = true;
        }
        running.values().forEach(Cancellation::cancel);
        runs.shutdown();
        try {
            runs.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releases.shutdownNow();
        synchronized (heldLeases) {
            heldLeases.forEach(RunLock::close);
            heldLeases.clear();
        }
    }
}
