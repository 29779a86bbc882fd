package dev.bbr.service.metrics;

import dev.bbr.service.job.JobRun;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * The numbers behind a dashboard, per job and deployment, in Prometheus' text format for
 * {@code /metrics}: when the last success was, how the last run ended and how long it took, how big
 * the last backup is and how many backups retention kept. A deployment label of {@code ""} is the
 * job as a whole (e.g. the Director's deployments could not be listed).
 */
public final class ServiceMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge lastSuccess = Gauge.builder().name("bbr_job_last_success_timestamp_seconds")
            .help("When the job last succeeded for the deployment (Unix time)").labelNames("job", "deployment")
            .register(registry);
    private final Gauge lastRun = Gauge.builder().name("bbr_job_last_run_timestamp_seconds")
            .help("When the job last finished for the deployment (Unix time)").labelNames("job", "deployment")
            .register(registry);
    private final Gauge lastResult = Gauge.builder().name("bbr_job_last_result")
            .help("1 when the job's last run succeeded for the deployment, 0 when it failed or was cancelled")
            .labelNames("job", "deployment").register(registry);
    private final Gauge lastDuration = Gauge.builder().name("bbr_job_last_duration_seconds")
            .help("How long the job's last run took for the deployment").labelNames("job", "deployment")
            .register(registry);
    private final Gauge lastBytes = Gauge.builder().name("bbr_backup_last_size_bytes")
            .help("Size in the store of the deployment's last successful backup").labelNames("job", "deployment")
            .register(registry);
    private final Gauge kept = Gauge.builder().name("bbr_backups_kept")
            .help("Backups of the deployment left after the last prune").labelNames("deployment").register(registry);
    private final Counter runs = Counter.builder().name("bbr_job_runs_total")
            .help("Job runs, by result (success, failure, cancelled)").labelNames("job", "result").register(registry);
    private final Counter skipped = Counter.builder().name("bbr_job_skipped_total")
            .help("Occurrences not run, by reason (overlap, lease, missed)").labelNames("job", "reason")
            .register(registry);
    private final Gauge running = Gauge.builder().name("bbr_job_running")
            .help("1 while the job runs in this service").labelNames("job").register(registry);

    public void started(String job) {
        running.labelValues(job).set(1);
    }

    public void finished(JobRun run, Instant finishedAt) {
        running.labelValues(run.job()).set(0);
        runs.labelValues(run.job(), run.result()).inc();
        double now = finishedAt.toEpochMilli() / 1000.0;
        for (JobRun.DeploymentResult d : run.deployments()) {
            lastRun.labelValues(run.job(), d.deployment()).set(now);
            lastDuration.labelValues(run.job(), d.deployment()).set(d.durationSeconds());
            lastResult.labelValues(run.job(), d.deployment()).set(d.succeeded() ? 1 : 0);
            if (d.succeeded()) {
                lastSuccess.labelValues(run.job(), d.deployment()).set(now);
                if (d.bytes() > 0 && "backup".equals(run.type())) {
                    lastBytes.labelValues(run.job(), d.deployment()).set(d.bytes());
                }
                if (d.kept() >= 0) {
                    kept.labelValues(d.deployment()).set(d.kept());
                }
            }
        }
    }

    public void skipped(String job, String reason) {
        skipped.labelValues(job, reason).inc();
    }

    /** Declares a job's series so a dashboard shows it before its first run. */
    public void declare(String job) {
        running.labelValues(job).set(0);
    }

    public void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.create().getContentType();
    }
}
