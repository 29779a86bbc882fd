package dev.bbr.app;

import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.event.RunFinished;
import dev.bbr.core.workflow.BackupOptions;
import dev.bbr.core.workflow.BackupWorkflow;
import dev.bbr.core.workflow.RestoreOptions;
import dev.bbr.core.workflow.RestoreWorkflow;
import dev.bbr.core.workflow.RunContext;
import dev.bbr.core.workflow.RunResult;
import dev.bbr.director.DeploymentSummary;
import dev.bbr.director.DirectorException;
import java.util.List;

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

    /** The stores, by location: local paths (relative to the working directory), s3://, azure://, sftp://. */
    public StorageRegistry storage() {
        return storage(Layout.FLAT, environment.clock());
    }

    /** The same, with new backups placed by {@code layout} and named by {@code clock}. */
    public StorageRegistry storage(Layout layout, java.time.Clock clock) {
        return Stores.registry(environment, layout, clock);
    }

    public RunResult backup(BackupRequest request, RunContext run) {
        long started = System.nanoTime();
        BackupStorage storage = backupStorage(request.layout());
        RunLock lock;
        try {
            lock = storage.lock(request.artifactLocation(), request.target().name(), run);
        } catch (BackupStorage.RunLockedException e) {
            return finished(run, "backup", request.target(), BackupStorage.refused(e), started);
        }
        if (!request.codec().isPlain()) {
            run.log().info("Artifacts will be stored " + request.codec());
        }
        try (Connections connections = new Connections(environment, run.log())) {
            BackupWorkflow workflow = new BackupWorkflow(new BackupOptions(request.withManifest(),
                    request.unsafeLockFree(), request.maxInFlight(), environment.bbrVersion(), request.minFreeSpace()),
                    run);
            RunResult result = workflow.backup(connections.access(request.target(), request.maxInFlight()),
                    storage.destinations(request.artifactLocation(), request.codec(), run));
            return finished(run, "backup", request.target(), result, started);
        } finally {
            if (lock != null) {
                lock.close();
            }
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
            RunResult result = backupWorkflow(maxInFlight, run).backupCleanup(connections.cleanupAccess(target, maxInFlight));
            return finished(run, "backup-cleanup", target, result, started);
        }
    }

    public RunResult restore(RestoreRequest request, RunContext run) {
        long started = System.nanoTime();
        try (Connections connections = new Connections(environment, run.log())) {
            RestoreWorkflow workflow = new RestoreWorkflow(new RestoreOptions(request.maxInFlight(),
                    environment.bbrVersion()), run);
            RunResult result = workflow.restore(request.target().name(),
                    backupStorage().restoreSource(request.artifactLocation(), request.identityFiles()),
                    connections.access(request.target(), request.maxInFlight()));
            return finished(run, "restore", request.target(), result, started);
        }
    }

    public RunResult restoreCleanup(Target target, int maxInFlight, RunContext run) {
        long started = System.nanoTime();
        try (Connections connections = new Connections(environment, run.log())) {
            RunResult result = new RestoreWorkflow(new RestoreOptions(maxInFlight, environment.bbrVersion()), run)
                    .restoreCleanup(connections.cleanupAccess(target, maxInFlight));
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

    /**
     * The names of the deployments the Director lists, in its order: for callers that schedule one
     * {@link #backup} per deployment themselves (the service reports each deployment on its own).
     *
     * @throws DiscoveryException with the Director's error, as {@code --all-deployments} words it
     */
    public List<String> deployments(DirectorLogin director, RunContext run) throws DiscoveryException {
        try (Connections connections = new Connections(environment, run.log())) {
            return connections.director(director).deployments().stream().map(DeploymentSummary::name).toList();
        } catch (DirectorException e) {
            throw new DiscoveryException(e.getMessage(), e);
        }
    }

    /** {@code bbr artifacts …}: list, verify, prune, unlock. */
    public ArtifactTools artifacts() {
        return new ArtifactTools(this);
    }

    BackupStorage backupStorage() {
        return backupStorage(Layout.FLAT);
    }

    BackupStorage backupStorage(Layout layout) {
        return new BackupStorage(storage(layout, environment.clock()), environment);
    }

    static RunResult finished(RunContext run, String operation, Target target, RunResult result, long startedNanos) {
        int exitCode = result.cancelled() ? 1 : result.report().exitCode();
        run.log().emit(new RunFinished(operation, target.name(), exitCode, result.cancelled(), result.artifact(),
                result.report().errors().stream().map(BbrError::message).toList(),
                (System.nanoTime() - startedNanos) / 1_000_000));
        return result;
    }
}
