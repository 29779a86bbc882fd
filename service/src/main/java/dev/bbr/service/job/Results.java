package dev.bbr.service.job;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.workflow.RunResult;
import java.util.stream.Collectors;

/** Builds {@link JobRun.DeploymentResult}s. */
final class Results {
    private Results() {}

    static JobRun.DeploymentResult success(String deployment, String phase, String artifact, long bytes, int kept,
            long startedNanos) {
        return new JobRun.DeploymentResult(deployment, JobRun.SUCCESS, phase, artifact, bytes, kept,
                seconds(startedNanos), null);
    }

    static JobRun.DeploymentResult failure(String deployment, String phase, String artifact, String error,
            long startedNanos) {
        return new JobRun.DeploymentResult(deployment, JobRun.FAILURE, phase, artifact, 0, -1, seconds(startedNanos),
                error);
    }

    static JobRun.DeploymentResult cancelled(String deployment, String phase, String artifact, long startedNanos) {
        return new JobRun.DeploymentResult(deployment, JobRun.CANCELLED, phase, artifact, 0, -1,
                seconds(startedNanos), "cancelled: the service is stopping");
    }

    /** A workflow's outcome; {@code bytes} only counts for a success. */
    static JobRun.DeploymentResult of(String deployment, String phase, RunResult result, long bytes,
            long startedNanos) {
        if (result.cancelled()) {
            return cancelled(deployment, phase, result.artifact(), startedNanos);
        }
        if (result.report().isEmpty()) {
            return success(deployment, phase, result.artifact(), bytes, -1, startedNanos);
        }
        return failure(deployment, phase, result.artifact(), result.report().errors().stream().map(BbrError::message)
                .collect(Collectors.joining("; ")), startedNanos);
    }

    static double seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e6) / 1e3;
    }
}
