package dev.bbr.service.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One run of a job as history, the API, metrics and notifications see it.
 *
 * @param trigger      {@code schedule}, {@code missed} (run once after downtime) or {@code api}
 * @param scheduledFor the occurrence it ran for (null when triggered through the API)
 * @param result       {@code success}, {@code failure} or {@code cancelled}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRun(
        @JsonProperty("run_id") String runId,
        @JsonProperty("job") String job,
        @JsonProperty("job_type") String type,
        @JsonProperty("trigger") String trigger,
        @JsonProperty("scheduled_for") String scheduledFor,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("result") String result,
        @JsonProperty("duration_in_seconds") double durationSeconds,
        @JsonProperty("deployments") List<DeploymentResult> deployments,
        @JsonProperty("errors") List<String> errors) {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String CANCELLED = "cancelled";

    public JobRun {
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public boolean succeeded() {
        return SUCCESS.equals(result);
    }

    /**
     * What a run did for one deployment.
     *
     * @param phase    the step it reached or failed in ({@code backup}, {@code verify}, {@code restore},
     *                 {@code check}, {@code prune})
     * @param artifact the backup written, verified or restored
     * @param bytes    its size in the store (backups), 0 otherwise
     * @param kept     backups of the deployment left after a prune (-1 when not known)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeploymentResult(
            @JsonProperty("deployment") String deployment,
            @JsonProperty("result") String result,
            @JsonProperty("phase") String phase,
            @JsonProperty("artifact") String artifact,
            @JsonProperty("size_in_bytes") long bytes,
            @JsonProperty("backups_kept") int kept,
            @JsonProperty("duration_in_seconds") double durationSeconds,
            @JsonProperty("error") String error) {

        public boolean succeeded() {
            return SUCCESS.equals(result);
        }
    }
}
