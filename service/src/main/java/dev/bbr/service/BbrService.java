package dev.bbr.service;

import dev.bbr.app.BbrApp;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.core.workflow.RunContext;
import dev.bbr.service.config.ServiceConfig;
import dev.bbr.service.http.Api;
import dev.bbr.service.http.ServiceHttpServer;
import dev.bbr.service.job.JobExecutor;
import dev.bbr.service.job.JobRun;
import dev.bbr.service.lease.JobLease;
import dev.bbr.service.log.ServiceLog;
import dev.bbr.service.metrics.ServiceMetrics;
import dev.bbr.service.notify.EmailNotifier;
import dev.bbr.service.notify.Messages;
import dev.bbr.service.notify.Notifications;
import dev.bbr.service.notify.Notifier;
import dev.bbr.service.notify.Pause;
import dev.bbr.service.notify.WebhookNotifier;
import dev.bbr.service.schedule.Scheduler;
import dev.bbr.service.schedule.SchedulerLoop;
import dev.bbr.service.state.ServiceState;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;

/**
 * {@code bbr service run}: the scheduler, the job executor, notifications, metrics and the HTTP
 * listener put together over the application layer. {@link #stop} is graceful: no new runs, running
 * ones cancelled the way the CLI's SIGTERM cancels a backup (they unlock, clean up and mark their
 * backups incomplete) and awaited, leases given back, queued notifications sent.
 */
public final class BbrService {
    /** How long a stop waits for running jobs to unlock and clean up. */
    static final Duration STOP_WAIT = Duration.ofMinutes(30);

    private final ServiceConfig config;
    private final ServiceLog log;
    private final JobExecutor executor;
    private final Notifications notifications;
    private final SchedulerLoop loop;
    private final Scheduler scheduler;
    private final ServiceHttpServer http;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    private BbrService(ServiceConfig config, ServiceLog log, JobExecutor executor, Notifications notifications,
            Scheduler scheduler, SchedulerLoop loop, ServiceHttpServer http) {
        this.config = config;
        this.log = log;
        this.executor = executor;
        this.notifications = notifications;
        this.scheduler = scheduler;
        this.loop = loop;
        this.http = http;
    }

    /** Starts everything and returns; the scheduler and the listener run on threads of their own. */
    public static BbrService start(ServiceConfig config, BbrApp app, PrintStream out, Clock clock, String version)
            throws IOException {
        ServiceLog log = new ServiceLog(out, clock, RunContext.newRunId());
        ServiceState state = ServiceState.open(config.stateDir());
        ServiceMetrics metrics = new ServiceMetrics();
        config.jobs().forEach(j -> metrics.declare(j.name()));
        String host = RunLock.Hosts.name();
        Messages messages = new Messages(config.destinationName(), host);
        List<Notifier> channels = new ArrayList<>();
        config.notifications().webhook().ifPresent(w -> channels.add(new WebhookNotifier(w, Pause.REAL)));
        config.notifications().email().ifPresent(e -> channels.add(new EmailNotifier(e)));
        Notifications notifications = new Notifications(channels, log);
        JobLease lease = new JobLease(app.storage(), config.destination(), config.lease().ttl(), clock);
        JobExecutor executor = new JobExecutor(config, app, log, clock, lease, state, metrics, notifications, messages);
        Runnable digest = () -> {
            Map<String, List<JobRun>> history = new LinkedHashMap<>();
            config.jobs().forEach(j -> history.put(j.name(), state.history(j.name())));
            Instant now = clock.instant();
            notifications.send(messages.digest(now.minus(Duration.ofDays(1)), now, history));
        };
        Scheduler scheduler = new Scheduler(config.jobs(), config.notifications().digest(), digest, clock, state,
                RandomGenerator.getDefault(), executor::start, log, job -> metrics.skipped(job, "missed"));
        SchedulerLoop loop = new SchedulerLoop(scheduler, clock);
        BbrService[] self = new BbrService[1];
        ServiceHttpServer http = null;
        if (config.http().isPresent()) {
            Api api = new Api(config, app, executor, state, scheduler::planned);
            http = new ServiceHttpServer(config.http().get(), metrics, api, () -> self[0] != null && !self[0].stopping);
        }
        BbrService service = new BbrService(config, log, executor, notifications, scheduler, loop, http);
        self[0] = service;
        if (http != null) {
            http.start();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("version", version);
        fields.put("config", config.file().toString());
        fields.put("destination_name", config.destinationName());
        fields.put("jobs", config.jobs().stream().map(ServiceConfig.Job::name).toList());
        fields.put("state_dir", config.stateDir().toString());
        fields.put("pid", ProcessHandle.current().pid());
        if (http != null) {
            fields.put("listen", config.http().get().host() + ":" + http.port());
        }
        log.info("service_started", "bbr service started with " + config.jobs().size() + " jobs", fields);
        Thread thread = new Thread(loop, "bbr-service-scheduler");
        thread.setDaemon(true);
        thread.start();
        return service;
    }

    /** The port the HTTP listener is bound to, when there is one. */
    public Optional<Integer> httpPort() {
        return Optional.ofNullable(http).map(ServiceHttpServer::port);
    }

    /** Every job's next occurrence. */
    public Map<String, Scheduler.Planned> planned() {
        return scheduler.planned();
    }

    /** Stops gracefully (see the class comment); returns once everything stopped. Idempotent. */
    public void stop(String why) {
        synchronized (this) {
            if (stopping) {
                awaitStopped();
                return;
            }
            stopping = true;
        }
        List<String> running = config.jobs().stream().map(ServiceConfig.Job::name).filter(executor::isRunning).toList();
        log.info("service_stopping", "Stopping (" + why + "): no new runs; " + (running.isEmpty() ? "no job is running"
                : "cancelling " + String.join(", ", running) + ", which unlock and clean up first"),
                Map.of("reason", why, "running", running));
        loop.stop();
        executor.stop(STOP_WAIT);
        notifications.close(Duration.ofSeconds(30));
        if (http != null) {
            http.close();
        }
        log.info("service_stopped", "bbr service stopped", Map.of());
        stopped.countDown();
    }

    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
