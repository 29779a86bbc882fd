package dev.bbr.service.job;

import dev.bbr.app.BbrApp;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.log.Log;
import dev.bbr.core.workflow.RunContext;
import dev.bbr.service.config.ServiceConfig;
import dev.bbr.service.log.ServiceLog;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one job run works with: the config, the application layer, the run's id and cancellation
 * (SIGTERM cancels every run; the workflows then unlock, clean up and mark their backups incomplete
 * exactly as the CLI's), and where its lines go.
 */
public record JobContext(ServiceConfig config, ServiceConfig.Job job, BbrApp app, String runId,
        Cancellation cancellation, ServiceLog log, Clock clock) {

    /** The fields on every line of this run. */
    public Map<String, Object> fields(String deployment) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("job", job.name());
        fields.put("job_type", job.type().label());
        if (deployment != null) {
            fields.put("deployment", deployment);
        }
        if (job.type() == ServiceConfig.JobType.BACKUP) {
            fields.put("backup_guid", runId);
        }
        fields.put("destination_name", config.destinationName());
        return fields;
    }

    /** A workflow's run context for one deployment of this job: its events become this run's log lines. */
    public RunContext workflowRun(String deployment) {
        Log log = this.log.forRun(runId, fields(deployment));
        return new RunContext(runId, log, cancellation, new LogProgressReporter(log), clock, app.environment().workers());
    }
}
