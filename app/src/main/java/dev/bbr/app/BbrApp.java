package dev.bbr.app;

import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.event.RunFinished;
import dev.bbr.core.workflow.BackupOptions;
import dev.bbr.core.workflow.BackupWorkflow;
import dev.bbr.core.workflow.RestoreOptions;
import dev.bbr.core.workflow.RestoreWorkflow;
import dev.bbr.core.workflow.RunContext;
import dev.bbr.core.workflow.RunResult;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The operations of bbr as typed requests: what the command line (and a scheduler) call. Each
 * builds the real parts (Director client, SSH, the store named by the location), runs the core
 * workflow with the caller's {@link RunContext} (events, cancellation, progress) and reports the
 * outcome, also as a {@link RunFinished} event.
 */
public final class BbrApp {
    private final Environment environment;

    public BbrApp(Environment environment) {
        this.environment = environment;
    }

    public Environment environment() {
        return environment;
    }

    /** The stores, by location: local paths now (relative to the working directory). */
    public StorageRegistry storage() {
        return new StorageRegistry().register(LocalArtifactStore.adapter(environment.workingDirectory(),
                environment.clock()));
    }

    public RunResult backup(BackupRequest request, RunContext run) {
        long started = System.nanoTime();
        try (Connections connections = new Connections(environment, run.log())) {
            BackupWorkflow workflow = new BackupWorkflow(new BackupOptions(request.withManifest(),
                    request.unsafeLockFree(), request.maxInFlight(), environment.bbrVersion()), run);
            StorageRegistry storage = storage();
            RunResult result = workflow.backup(connections.access(request.target(), request.maxInFlight()),
                    name -> storage.store(request.artifactLocation()).createBackup(name));
            return finished(run, "backup", request.target(), result, started);
        }
    }

    public RunResult preBackupCheck(Target target, int maxInFlight, RunContext run) {
        long started = System.nanoTime();
        try (Connections connections = new Connections(environment, run.log())) {
            RunResult result = backupWorkflow(maxInFlight, run)
                    .preBackupCheck(connections.access(target, maxInFlight));
            return finished(run, "pre-backup-check", target, result, started);
        }
    }

    public RunResult backupCleanup(Target target, int maxInFlight, RunContext run) {
        long started = System.nanoTime();
        try (Connections connections = new Connections(environment, run.log())) {
            RunResult result = backupWorkflow(maxInFlight, run).backupCleanup(connections.access(target, maxInFlight));
            return finished(run, "backup-cleanup", target, result, started);
        }
    }

    public RunResult restore(RestoreRequest request, RunContext run) {
        long started = System.nanoTime();
        try (Connections connections = new Connections(environment, run.log())) {
            RestoreWorkflow workflow = new RestoreWorkflow(new RestoreOptions(request.maxInFlight(),
                    environment.bbrVersion()), run);
            RunResult result = workflow.restore(request.target().name(), openBackup(request.artifactLocation()),
                    connections.access(request.target(), request.maxInFlight()));
            return finished(run, "restore", request.target(), result, started);
        }
    }

    public RunResult restoreCleanup(Target target, int maxInFlight, RunContext run) {
        long started = System.nanoTime();
        try (Connections connections = new Connections(environment, run.log())) {
            RunResult result = new RestoreWorkflow(new RestoreOptions(maxInFlight, environment.bbrVersion()), run)
                    .restoreCleanup(connections.access(target, maxInFlight));
            return finished(run, "restore-cleanup", target, result, started);
        }
    }

    /** {@code --all-deployments}; see {@link AllDeployments}. */
    public AllDeploymentsResult allDeployments(AllDeploymentsRequest request, RunContext run, DeploymentLogs logs) {
        try (Connections connections = new Connections(environment, run.log())) {
            return new AllDeployments(this, connections, request, run, logs).run();
        }
    }

    BackupWorkflow backupWorkflow(int maxInFlight, RunContext run) {
        return new BackupWorkflow(new BackupOptions(false, false, maxInFlight, environment.bbrVersion()), run);
    }

    /** The store's errors opening the backup are reported as bbr's (the workflow makes them the run's). */
    private Supplier<BackupSource> openBackup(String location) {
        return () -> {
            try {
                return storage().openBackup(location);
            } catch (StoreException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        };
    }

    static RunResult finished(RunContext run, String operation, Target target, RunResult result, long startedNanos) {
        int exitCode = result.cancelled() ? 1 : result.report().exitCode();
        run.log().emit(new RunFinished(operation, target.name(), exitCode, result.cancelled(), result.artifact(),
                result.report().errors().stream().map(BbrError::message).toList(),
                (System.nanoTime() - startedNanos) / 1_000_000));
        return result;
    }
}
