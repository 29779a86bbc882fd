package dev.bbr.core.workflow;

import dev.bbr.core.errors.Failures;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.drain.ArtifactDrainer;
import dev.bbr.core.drain.ArtifactRootRemoval;
import dev.bbr.core.drain.ArtifactSizes;
import dev.bbr.core.drain.MetadataRecorder;
import dev.bbr.core.drain.ProgressReporter;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import dev.bbr.core.event.PhaseFinished;
import dev.bbr.core.event.PhaseStarted;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Deployment;
import dev.bbr.core.model.Instance;
import dev.bbr.core.model.InstanceJob;
import dev.bbr.core.model.Job;
import dev.bbr.core.model.RemoteLayout;
import dev.bbr.core.model.Script;
import dev.bbr.core.order.CyclicLockGraphException;
import dev.bbr.core.order.LockOrder;
import dev.bbr.core.order.LockOrderer;
import dev.bbr.core.remote.InstanceCommands;
import dev.bbr.core.remote.RemoteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * bbr's backup, pre-backup-check and backup-cleanup workflows.
 *
 * <p>Backup: find → pre-checks → create artifact → lock → backup → unlock → drain → cleanup →
 * finish time. Every step's errors are collected and the run goes on along bbr's failure edges:
 * once any lock was attempted, unlock always runs; once the backup step started, the remote
 * artifact directories are always removed; temporary SSH users are always cleaned up. Unlike bbr,
 * a cancelled run (SIGINT answered yes, SIGTERM, SIGHUP) still unlocks and cleans up.
 */
public final class BackupWorkflow {
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS Z z");

    private final BackupOptions options;
    private final Log log;
    private final Cancellation cancellation;
    private final ProgressReporter progress;
    private final Clock clock;
    private final LevelExecutor executor;
    private final ScriptRunner scripts;
    private final CleanupSteps cleanupSteps;
    private final DeploymentScope scope;
    private final Workers workers;
    /** Tags this run's stoppable remote commands (see {@link RemoteStop}). */
    private final String runId;
    /** Measured by the backup step's sessions, read by the space check and the drain. */
    private final ArtifactSizes sizes;

    public BackupWorkflow(BackupOptions options, RunContext run) {
        this.options = options;
        this.log = run.log();
        this.cancellation = run.cancellation();
        this.progress = run.progress();
        this.clock = run.clock();
        this.workers = run.workers();
        this.runId = run.runId();
        this.sizes = new ArtifactSizes(String.valueOf(runId));
        this.executor = new LevelExecutor(options.maxInFlight(), cancellation, workers);
        this.scripts = new ScriptRunner(log, executor, runId, cancellation);
        this.cleanupSteps = new CleanupSteps(options.maxInFlight(), workers);
        this.scope = new DeploymentScope(options.bbrVersion(), executor, log);
    }

    /** {@code bbr … backup}. */
    public RunResult backup(DeploymentAccessFactory accessFactory, DestinationFactory destinations) {
        List<BbrError> errors = new ArrayList<>();
        DeploymentAccess access;
        Deployment deployment;
        try {
            access = accessFactory.open(log);
        } catch (DiscoveryException e) {
            return result(List.of(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e)), null);
        } catch (RuntimeException e) {
            return result(List.of(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e)), null);
        }
        try {
            deployment = scope.discover(access);
        } catch (DiscoveryException | RuntimeException e) {
            errors.add(e instanceof DiscoveryException ? BbrError.of(ErrorKind.GENERAL, e.getMessage(), e)
                    : LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e));
            errors.addAll(CleanupSteps.wrapped(access.name(), releaseAccess(access)));
            return result(errors, null);
        }
        String name = deployment.name();
        Set<Instance> artifactDirsCreated = ConcurrentHashMap.newKeySet();
        BackupDestination destination = null;
        MetadataRecorder metadata = null;
        boolean drained = false;
        Cancellation.Registration stopOnCancel = RemoteStop.arm(cancellation, deployment, runId, log, workers);
        try {
            log.info("Running pre-checks for backup of " + name + "...");
            LockOrder order = backupable(deployment, access.directorMode(), errors);
            if (!cancellation.isCancelled()) {
                log.info("Starting backup of " + name + "...");
                destination = destinations.create(name);
                metadata = startMetadata(destination);
                if (options.withManifest()) {
                    saveManifest(destination, access.downloadManifest());
                }
                boolean backedUp = lockBackupUnlock(deployment, order, artifactDirsCreated, errors);
                if (backedUp && !cancellation.isCancelled()) {
                    ArtifactDrainer drainer = new ArtifactDrainer(destination, metadata, progress, log, runId, workers,
                            sizes, new ArtifactRootRemoval(artifactDirsCreated::remove));
                    if (fits(deployment, drainer, destination, errors)) {
                        drained = drain(deployment, drainer, errors);
                    } else {
                        // nothing was drained: no backup directory is left behind at all
                        destination.discard();
                        destination = null;
                    }
                }
            }
        } catch (PrecheckFailed e) {
            // errors already collected; nothing was created, so nothing remote is removed
        } catch (IOException | DiscoveryException e) {
            // the store's and discovery's messages are already the operator-facing text
            errors.add(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e));
        } catch (RuntimeException e) {
            errors.add(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e));
        } finally {
            stopOnCancel.close();
            errors.addAll(CleanupSteps.wrapped(name, cleanupSteps.removeArtifactDirectories(artifactDirsCreated)));
            errors.addAll(CleanupSteps.wrapped(name, releaseAccess(access)));
            finish(destination, metadata, drained, errors);
        }
        return result(errors, destination);
    }

    /** Removes temporary users and closes connections; a defect there is an error, never an escape. */
    static List<BbrError> releaseAccess(DeploymentAccess access) {
        try {
            return access.cleanup();
        } catch (RuntimeException e) {
            return List.of(LevelExecutor.unexpectedFailure(ErrorKind.CLEANUP, e));
        }
    }

    /** {@code bbr … pre-backup-check}: find → pre-checks → cleanup. */
    public RunResult preBackupCheck(DeploymentAccessFactory accessFactory) {
        return result(scope.run(accessFactory, (access, deployment, errors) -> {
            log.info("Running pre-checks for backup of " + deployment.name() + "...");
            try {
                backupable(deployment, access.directorMode(), errors);
            } catch (PrecheckFailed e) {
                // errors already collected
            }
        }), null);
    }

    /** {@code bbr … backup-cleanup}: find → post-backup-unlock (false) → remove remote artifacts → cleanup. */
    public RunResult backupCleanup(DeploymentAccessFactory accessFactory) {
        return result(scope.run(accessFactory, (access, deployment, errors) -> errors.addAll(
                cleanupSteps.cleanupPrevious(access, deployment, orderer(access.directorMode()),
                        unlockScripts(), Phase.POST_BACKUP_UNLOCK,
                        Map.of("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "false"), log))), null);
    }

    private LockOrderer orderer(boolean directorMode) {
        LockOrderer orderer = LockOrderer.forBackup();
        return directorMode ? orderer.matchingJobNamesOnly() : orderer;
    }

    /** The three pre-checks; collects their errors and throws when any failed. */
    private LockOrder backupable(Deployment deployment, boolean directorMode, List<BbrError> errors)
            throws PrecheckFailed {
        if (deployment.jobsWith(Script.BACKUP).isEmpty()) {
            errors.add(BbrError.of(ErrorKind.GENERAL, "Deployment '" + deployment.name() + "' has no backup scripts"));
            throw new PrecheckFailed();
        }
        errors.addAll(checkArtifactDirectoriesAbsent(deployment));
        LockOrder order = null;
        try {
            order = orderer(directorMode).order(deployment.allJobs());
        } catch (CyclicLockGraphException e) {
            errors.add(BbrError.of(ErrorKind.GENERAL, e.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new PrecheckFailed();
        }
        return order;
    }

    /** bbr's artifact-dir pre-check, from what discovery's session saw (InstanceCommands.findScripts). */
    private static List<BbrError> checkArtifactDirectoriesAbsent(Deployment deployment) {
        List<String> present = new ArrayList<>();
        for (Instance instance : deployment.instances()) {
            if (instance.artifactRootPresent()) {
                present.add("Directory " + RemoteLayout.ARTIFACT_ROOT + " already exists on instance "
                        + instance.identifier());
            }
        }
        present.sort(null);
        return present.isEmpty() ? List.of() : List.of(BbrError.of(ErrorKind.ARTIFACT_DIR, String.join("\n", present)));
    }

    /**
     * Lock, backup, unlock. Returns whether the backup scripts all succeeded (so drain should run).
     * Unlock is in a {@code finally}: whatever happens once locking began, every job is unlocked.
     */
    private boolean lockBackupUnlock(Deployment deployment, LockOrder order, Set<Instance> artifactDirsCreated,
            List<BbrError> errors) {
        String name = deployment.name();
        boolean backupOk = false;
        try {
            boolean lockFailed = false;
            if (options.unsafeLockFree()) {
                log.info("Skipping lock for deployment");
            } else {
                List<BbrError> lockErrors = scripts.runLevels(Phase.PRE_BACKUP_LOCK, order, j -> Map.of());
                errors.addAll(lockErrors);
                lockFailed = !lockErrors.isEmpty();
            }
            if (!lockFailed && !cancellation.isCancelled()) {
                List<BbrError> backupErrors = runBackupScripts(deployment, artifactDirsCreated);
                errors.addAll(backupErrors);
                backupOk = backupErrors.isEmpty() && !cancellation.isCancelled();
            }
        } catch (RuntimeException e) {
            errors.add(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e));
            backupOk = false;
        } finally {
            unlock(order, backupOk, errors);
        }
        if (!backupOk) {
            log.info("Failed to create backup of " + name);
        }
        return backupOk;
    }

    private void unlock(LockOrder order, boolean backupOk, List<BbrError> errors) {
        if (options.unsafeLockFree()) {
            log.info(backupOk ? "Skipping unlock after successful backup for deployment"
                    : "Skipping unlock after unsuccessful backup for deployment");
            return;
        }
        String succeeded = Boolean.toString(backupOk);
        errors.addAll(unlockScripts().runLevels(Phase.POST_BACKUP_UNLOCK, order.reversed(),
                j -> Map.of("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", succeeded)));
    }

    /** Unlock runs to completion even when the operator cancelled: a fresh executor ignores it. */
    private ScriptRunner unlockScripts() {
        return new ScriptRunner(log, new LevelExecutor(options.maxInFlight(), new Cancellation(), workers));
    }

    private List<BbrError> runBackupScripts(Deployment deployment, Set<Instance> artifactDirsCreated) {
        log.emit(new PhaseStarted("backup"));
        List<LevelExecutor.Task> tasks = new ArrayList<>();
        for (InstanceJob target : deployment.jobsWith(Script.BACKUP)) {
            artifactDirsCreated.add(target.instance());
            String dir = target.instance().artifactDirectory(target.job());
            tasks.add(() -> scripts.run(Phase.BACKUP, target,
                    path -> InstanceCommands.backupStep(path, dir, runId, sizes.marker()),
                    result -> sizes.record(target.instance(), target.job(), result)));
        }
        List<BbrError> errors = executor.runLevel(tasks, ErrorKind.BACKUP);
        log.emit(new PhaseFinished("backup"));
        return errors;
    }

    /**
     * The space check between the backup scripts and the drain: the artifacts' total against the
     * destination's free space. Sizes the backup step did not report are measured here first; one
     * that cannot be measured is left to its drain, which fails that artifact with bbr's error while
     * the others go on, as before the check existed.
     */
    private boolean fits(Deployment deployment, ArtifactDrainer drainer, BackupDestination destination,
            List<BbrError> errors) {
        long total = 0;
        for (InstanceJob target : deployment.jobsWith(Script.BACKUP)) {
            try {
                total += drainer.size(target.instance(), target.job());
            } catch (ArtifactDrainer.DrainFailure | RemoteException e) {
                log.debug("Size of " + target.job().name() + " on " + target.instance().identifier()
                        + " unknown before the drain: " + e.getMessage());
            }
        }
        Optional<BbrError> noRoom = new SpaceCheck(options.minFreeSpace(), log).check(destination, total);
        if (noRoom.isPresent()) {
            errors.add(noRoom.get());
            log.info("Failed to create backup of " + deployment.name());
            return false;
        }
        return true;
    }

    /** Drains every artifact; returns true only when each one was copied and verified. */
    private boolean drain(Deployment deployment, ArtifactDrainer drainer, List<BbrError> errors) {
        List<LevelExecutor.Task> tasks = new ArrayList<>();
        for (InstanceJob target : deployment.jobsWith(Script.BACKUP)) {
            Instance instance = target.instance();
            Job job = target.job();
            drainer.expect(instance);
            tasks.add(() -> drainer.drain(instance, job));
        }
        List<BbrError> drainErrors = executor.runLevel(tasks, ErrorKind.DRAIN);
        errors.addAll(drainErrors);
        String time = ZonedDateTime.now(clock).format(GO_TIME);
        // every task ran (cancellation skips unstarted ones), so no errors and no cancel means all drained
        boolean complete = drainErrors.isEmpty() && !cancellation.isCancelled();
        if (complete) {
            log.info("Backup created of " + deployment.name() + " on " + time);
        } else {
            log.info("Failed to create backup of " + deployment.name() + " on " + time
                    + ", failed during drain step");
        }
        return complete;
    }

    /**
     * Writes the finish time and decides the artifact's state. It is complete only when the drain
     * verifiably finished and nothing but post-backup housekeeping (unlock scripts, remote or ssh
     * cleanup: exit 8/16) failed; otherwise the {@code BACKUP-INCOMPLETE} marker stays.
     */
    private void finish(BackupDestination destination, MetadataRecorder metadata, boolean drained,
            List<BbrError> errors) {
        if (destination == null) {
            return;
        }
        try {
            if (metadata != null) {
                metadata.finish(ZonedDateTime.now(clock));
            }
            boolean ok = drained && !cancellation.isCancelled() && errors.stream()
                    .allMatch(e -> e.kind() == ErrorKind.UNLOCK || e.kind() == ErrorKind.CLEANUP);
            if (ok) {
                destination.markComplete();
            } else {
                destination.markFailed(cancellation.isCancelled() ? "the backup was cancelled by the operator"
                        : new ErrorReport(errors).render());
            }
        } catch (IOException | RuntimeException e) {
            errors.add(BbrError.of(ErrorKind.GENERAL, "failed to finish backup metadata: " + Failures.describe(e), e));
        }
    }

    /** bbr's create-artifact step: the metadata with its start time. */
    private MetadataRecorder startMetadata(BackupDestination destination) throws IOException {
        try {
            return new MetadataRecorder(destination, ZonedDateTime.now(clock));
        } catch (IOException e) {
            throw new IOException("failed creating artifact directory: " + Failures.describe(e), e);
        }
    }

    private static void saveManifest(BackupDestination destination, String manifest) throws IOException {
        try {
            destination.writeFile("manifest.yml", manifest.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("failed to save manifest: " + Failures.describe(e), e);
        }
    }

    private RunResult result(List<BbrError> errors, BackupDestination destination) {
        return new RunResult(new ErrorReport(errors), destination == null ? null : destination.location(),
                cancellation.isCancelled());
    }

    /** A pre-check failed; the errors are already collected. */
    private static final class PrecheckFailed extends Exception {
        private static final long serialVersionUID = 1L;
    }
}
