package dev.bbr.service.job;

import dev.bbr.app.BackupRequest;
import dev.bbr.app.Target;
import dev.bbr.artifacts.atrest.BackupSummary;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.workflow.RunResult;
import dev.bbr.service.config.ServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code type: backup}: one {@code BbrApp.backup} per deployment (by name, or every deployment the
 * Director lists) and for the Director VM when asked, {@code max_deployments} at a time, each under
 * its own run lock, into the destination through the configured codec.
 */
public final class BackupAction implements JobAction {

    @Override
    public List<JobRun.DeploymentResult> run(JobContext context) throws Exception {
        ServiceConfig config = context.config();
        ServiceConfig.Selection selection = context.job().selection();
        List<Target> targets = new ArrayList<>();
        List<JobRun.DeploymentResult> results = new ArrayList<>();
        if (selection.all() || !selection.deployments().isEmpty()) {
            ServiceConfig.Director director = config.director().orElseThrow();
            List<String> names = selection.deployments();
            if (selection.all()) {
                long started = System.nanoTime();
                try {
                    names = context.app().deployments(director.login(), context.workflowRun(null));
                } catch (DiscoveryException e) {
                    results.add(Results.failure("", "list", null, "cannot list the Director's deployments: "
                            + e.getMessage(), started));
                    names = List.of();
                }
            }
            names.forEach(n -> targets.add(new Target.Deployment(director.login(), n)));
        }
        if (selection.directorVm()) {
            targets.add(config.directorVm().orElseThrow().target());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(targets.size(),
                config.maxDeployments())), r -> {
                    Thread t = new Thread(r, "bbr-service-backup");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<JobRun.DeploymentResult>> running = new ArrayList<>();
            for (Target target : targets) {
                running.add(pool.submit(() -> backup(context, target)));
            }
            for (Future<JobRun.DeploymentResult> f : running) {
                results.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        return results;
    }

    private static JobRun.DeploymentResult backup(JobContext context, Target target) {
        long started = System.nanoTime();
        if (context.cancellation().isCancelled()) {
            return Results.cancelled(target.name(), "backup", null, started);
        }
        ServiceConfig config = context.config();
        RunResult result = context.app().backup(new BackupRequest(target, config.destination(), false, false,
                config.maxInFlight(), config.atRest().codec(), Layout.FLAT), context.workflowRun(target.name()));
        long bytes = 0;
        if (result.succeeded() && result.artifact() != null) {
            try {
                bytes = context.app().artifacts().list(result.artifact()).stream().mapToLong(BackupSummary::storedBytes)
                        .sum();
            } catch (java.io.IOException e) {
                // the size is for the dashboard only; the backup itself succeeded
            }
        }
        return Results.of(target.name(), "backup", result, bytes, started);
    }
}
