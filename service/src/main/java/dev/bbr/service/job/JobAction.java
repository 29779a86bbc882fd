package dev.bbr.service.job;

import java.util.List;

/** What a type of job does, per deployment. Runs on its own thread; never throws for a failed deployment. */
@FunctionalInterface
public interface JobAction {
    List<JobRun.DeploymentResult> run(JobContext context) throws Exception;
}
