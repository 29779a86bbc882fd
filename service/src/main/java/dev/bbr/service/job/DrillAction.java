package dev.bbr.service.job;

import dev.bbr.app.ArtifactTools;
import dev.bbr.app.RestoreRequest;
import dev.bbr.app.Target;
import dev.bbr.artifacts.atrest.BackupSummary;
import dev.bbr.core.event.Level;
import dev.bbr.core.workflow.RunResult;
import dev.bbr.service.config.ServiceConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type: drill}: restores the newest complete backup of the source deployment into the target
 * (a deployment kept for drills, or a spare Director VM) with {@code BbrApp.restore} (validated
 * offline first, as every restore), then runs the check command. Both steps count: a restore whose
 * check fails is a failed drill.
 */
public final class DrillAction implements JobAction {

    @Override
    public List<JobRun.DeploymentResult> run(JobContext context) throws Exception {
        ServiceConfig config = context.config();
        ServiceConfig.Drill drill = context.job().drill().orElseThrow();
        Target target = drill.target() instanceof Target.Deployment d
                ? new Target.Deployment(config.director().orElseThrow().login(), d.deployment()) : drill.target();
        long started = System.nanoTime();
        Optional<BackupSummary> newest = NewestBackups.of(context.app().artifacts().list(config.destination()),
                drill.source());
        if (newest.isEmpty()) {
            return List.of(Results.failure(target.name(), "restore", null, "no complete backup of " + drill.source()
                    + " in " + config.destinationName() + " to drill with", started));
        }
        String location = ArtifactTools.locationOf(config.destination(), newest.get().name());
        context.log().run(context.runId(), Level.INFO, "drill_restore", "Restoring " + newest.get().name() + " into "
                + target.name(), fields(context, target, newest.get().name()));
        RunResult restored = context.app().restore(new RestoreRequest(target, location, config.maxInFlight(),
                config.atRest().identityFiles()), context.workflowRun(target.name()));
        if (!restored.succeeded()) {
            return List.of(Results.of(target.name(), "restore", new RunResult(restored.report(), newest.get().name(),
                    restored.cancelled()), 0, started));
        }
        if (context.cancellation().isCancelled()) {
            return List.of(Results.cancelled(target.name(), "check", newest.get().name(), started));
        }
        CheckCommand.Outcome check = CheckCommand.run(drill.check(), config.directory(), Map.of(
                "BBR_DRILL_SOURCE", drill.source(), "BBR_DRILL_TARGET", target.name(),
                "BBR_DRILL_BACKUP", location, "BBR_RUN_ID", context.runId()), drill.checkTimeout());
        context.log().run(context.runId(), check.passed() ? Level.INFO : Level.ERROR, "drill_check",
                "Drill check " + (check.passed() ? "passed" : "failed") + " for " + target.name(),
                withOutput(fields(context, target, newest.get().name()), check.detail()));
        return List.of(check.passed()
                ? Results.success(target.name(), "check", newest.get().name(), 0, -1, started)
                : Results.failure(target.name(), "check", newest.get().name(), check.detail(), started));
    }

    private static Map<String, Object> fields(JobContext context, Target target, String backup) {
        Map<String, Object> fields = context.fields(target.name());
        fields.put("backup", backup);
        return fields;
    }

    private static Map<String, Object> withOutput(Map<String, Object> fields, String output) {
        fields.put("output", output);
        return fields;
    }
}
