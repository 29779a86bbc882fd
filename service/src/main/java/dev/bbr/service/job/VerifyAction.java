package dev.bbr.service.job;

import dev.bbr.app.ArtifactTools;
import dev.bbr.artifacts.atrest.BackupSummary;
import dev.bbr.artifacts.atrest.VerifyResult;
import dev.bbr.core.event.Level;
import dev.bbr.service.config.ServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code type: verify}: deep-verifies the newest complete backup of each selected deployment, as
 * {@code bbr artifacts verify} does (every artifact decoded with the configured identities, every
 * file matched against the metadata), and records the pass in the backup.
 */
public final class VerifyAction implements JobAction {

    @Override
    public List<JobRun.DeploymentResult> run(JobContext context) throws Exception {
        ServiceConfig config = context.config();
        ServiceConfig.Selection selection = context.job().selection();
        Map<String, BackupSummary> newest = NewestBackups.byDeployment(context.app().artifacts()
                .list(config.destination()));
        List<JobRun.DeploymentResult> results = new ArrayList<>();
        if (!selection.all()) {
            for (String wanted : selection.deployments()) {
                if (!newest.containsKey(wanted)) {
                    results.add(Results.failure(wanted, "verify", null, "no complete backup of " + wanted + " in "
                            + config.destinationName(), System.nanoTime()));
                }
            }
        }
        for (BackupSummary backup : newest.values()) {
            if (!selection.matches(backup.deployment(), config.directorVm())) {
                continue;
            }
            long started = System.nanoTime();
            if (context.cancellation().isCancelled()) {
                results.add(Results.cancelled(backup.deployment(), "verify", backup.name(), started));
                continue;
            }
            String location = ArtifactTools.locationOf(config.destination(), backup.name());
            VerifyResult verdict = context.app().artifacts().verify(location, config.atRest().identityFiles(), true)
                    .results().get(0);
            switch (verdict.verdict()) {
                case VERIFIED -> results.add(Results.success(backup.deployment(), "verify", backup.name(),
                        verdict.storedBytes(), -1, started));
                case STORED_FILES_OK -> {
                    context.log().run(context.runId(), Level.WARN, "verify_shallow", backup.name() + ": stored files"
                            + " intact, contents not checked: the backup is encrypted and at_rest.identity_files"
                            + " has no key for it", context.fields(backup.deployment()));
                    results.add(Results.success(backup.deployment(), "verify", backup.name(), verdict.storedBytes(),
                            -1, started));
                }
                default -> results.add(Results.failure(backup.deployment(), "verify", backup.name(),
                        String.join("; ", verdict.problems()), started));
            }
        }
        return results;
    }
}
