package dev.bbr.service.job;

import dev.bbr.app.ArtifactTools;
import dev.bbr.artifacts.retention.RetentionDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: prune}: the config's retention policy applied to every deployment in the destination
 * ({@code bbr artifacts prune}'s semantics: the newest complete backup is never deleted, incomplete
 * ones are left alone for the grace period).
 */
public final class PruneAction implements JobAction {

    @Override
    public List<JobRun.DeploymentResult> run(JobContext context) throws Exception {
        long started = System.nanoTime();
        ArtifactTools.PruneResult result = context.app().artifacts().prune(context.config().destination(),
                context.config().retention().orElseThrow(), false);
        // per deployment: complete backups kept (incomplete ones in their grace period do not count), and those that should have gone and could not be deleted
        Map<String, int[]> keptAndFailed = new LinkedHashMap<>();
        for (RetentionDecision d : result.plan().decisions()) {
            int[] counts = keptAndFailed.computeIfAbsent(d.backup().deployment(), k -> new int[2]);
            if (d.keep()) {
                if (d.backup().complete()) {
                    counts[0]++;
                }
            } else if (!result.deleted().contains(d.backup().name())) {
                counts[1]++;
            }
            if (d.delete() && result.deleted().contains(d.backup().name())) {
                context.log().run(context.runId(), dev.bbr.core.event.Level.INFO, "backup_deleted",
                        "Deleted " + d.backup().name() + " (" + String.join("; ", d.reasons()) + ")",
                        withDeployment(context, d.backup().deployment(), Map.of("backup", d.backup().name())));
            }
        }
        List<JobRun.DeploymentResult> results = new ArrayList<>();
        keptAndFailed.forEach((deployment, counts) -> results.add(counts[1] == 0
                ? Results.success(deployment, "prune", null, 0, counts[0], started)
                : Results.failure(deployment, "prune", null, counts[1] + " backups could not be deleted: "
                        + String.join("; ", result.failures()), started)));
        return results;
    }

    private static Map<String, Object> withDeployment(JobContext context, String deployment, Map<String, Object> more) {
        Map<String, Object> fields = context.fields(deployment);
        fields.putAll(more);
        return fields;
    }
}
