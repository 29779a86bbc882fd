package dev.bbr.service.notify;

import dev.bbr.service.job.JobRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns job runs and the history into notifications: the webhook's JSON and the email's words. */
public final class Messages {
    private final String destinationName;
    private final String host;

    public Messages(String destinationName, String host) {
        this.destinationName = destinationName;
        this.host = host;
    }

    /**
     * One notification per run. Its top-level {@code deployment}, {@code phase}, {@code error} and
     * {@code artifact} are the first failed deployment's (the first deployment's on success); every
     * deployment is in {@code deployments}.
     */
    public Notification jobFinished(JobRun run) {
        boolean ok = run.succeeded();
        JobRun.DeploymentResult first = run.deployments().stream().filter(d -> !d.succeeded()).findFirst()
                .orElse(run.deployments().isEmpty() ? null : run.deployments().get(0));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", ok ? "job_succeeded" : "job_failed");
        body.put("run_id", run.runId());
        body.put("job", run.job());
        body.put("job_type", run.type());
        body.put("result", run.result());
        body.put("deployment", first == null ? null : first.deployment());
        body.put("phase", first == null ? null : first.phase());
        String error = first != null && first.error() != null ? first.error()
                : run.errors().isEmpty() ? null : String.join("; ", run.errors());
        body.put("error", error);
        body.put("artifact", first == null ? null : first.artifact());
        body.put("duration_in_seconds", run.durationSeconds());
        body.put("destination_name", destinationName);
        body.put("host", host);
        body.put("started_at", run.startedAt());
        body.put("finished_at", run.finishedAt());
        body.put("deployments", run.deployments());
        body.values().removeIf(java.util.Objects::isNull);
        String subject = "bbr: " + run.type() + " job " + run.job() + (ok ? " succeeded" : " " + run.result()
                + (first == null ? "" : " for " + first.deployment()));
        StringBuilder text = new StringBuilder();
        text.append(subject).append("\n\n");
        text.append("run id:      ").append(run.runId()).append('\n');
        text.append("destination: ").append(destinationName).append('\n');
        text.append("host:        ").append(host).append('\n');
        text.append("started:     ").append(run.startedAt()).append('\n');
        text.append("duration:    ").append(run.durationSeconds()).append(" s\n\n");
        for (JobRun.DeploymentResult d : run.deployments()) {
            text.append("- ").append(d.deployment().isEmpty() ? "(job)" : d.deployment()).append(": ")
                    .append(d.result()).append(" in ").append(d.phase());
            if (d.artifact() != null) {
                text.append(" (").append(d.artifact()).append(')');
            }
            if (d.error() != null) {
                text.append("\n  ").append(d.error().replace("\n", "\n  "));
            }
            text.append('\n');
        }
        run.errors().forEach(e -> text.append("error: ").append(e).append('\n'));
        return new Notification(ok ? "job_succeeded" : "job_failed", subject, text.toString(), body);
    }

    /** The daily digest: per job, how many runs in the period, how many failed, and the last result. */
    public Notification digest(Instant from, Instant to, Map<String, List<JobRun>> history) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int runs = 0;
        int failed = 0;
        for (Map.Entry<String, List<JobRun>> entry : history.entrySet()) {
            List<JobRun> inPeriod = entry.getValue().stream().filter(r -> Instant.parse(r.startedAt()).isAfter(from))
                    .toList();
            long failures = inPeriod.stream().filter(r -> !r.succeeded()).count();
            JobRun last = entry.getValue().isEmpty() ? null : entry.getValue().get(entry.getValue().size() - 1);
            String lastSuccess = entry.getValue().stream().filter(JobRun::succeeded).map(JobRun::finishedAt)
                    .reduce((a, b) -> b).orElse(null);
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("job", entry.getKey());
            job.put("runs", inPeriod.size());
            job.put("failures", failures);
            job.put("last_result", last == null ? "never ran" : last.result());
            job.put("last_success", lastSuccess);
            job.values().removeIf(java.util.Objects::isNull);
            jobs.add(job);
            runs += inPeriod.size();
            failed += (int) failures;
            text.append("- ").append(entry.getKey()).append(": ").append(inPeriod.size()).append(" runs, ")
                    .append(failures).append(" failed; last ").append(last == null ? "never ran" : last.result())
                    .append(lastSuccess == null ? "" : "; last success " + lastSuccess).append('\n');
        }
        String subject = "bbr digest for " + destinationName + ": " + runs + " runs, " + failed + " failed";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "digest");
        body.put("period_start", from.toString());
        body.put("period_end", to.toString());
        body.put("destination_name", destinationName);
        body.put("host", host);
        body.put("jobs", jobs);
        return new Notification("digest", subject, subject + "\n\n" + text, body);
    }
}
