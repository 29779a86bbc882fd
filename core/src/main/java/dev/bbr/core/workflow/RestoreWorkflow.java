package dev.bbr.core.workflow;

import dev.bbr.core.errors.Failures;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.InstanceMetadata;
import dev.bbr.artifacts.validate.ArtifactValidator;
import dev.bbr.artifacts.validate.ValidationProblem;
import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.drain.ArtifactUploader;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * bbr's restore and restore-cleanup.
 *
 * <p>Restore: validate the artifact offline (before the Director is asked for anything that
 * changes state) → find → restorable checks → upload → pre-restore-lock → restore →
 * post-restore-unlock → cleanup. Unlike bbr, restore scripts run in parallel (bounded by
 * {@code maxInFlight}; 1 gives bbr's one-at-a-time), every instance is restored even when another
 * failed, and locks within a level run in parallel.
 */
public final class RestoreWorkflow {
    private final RestoreOptions options;
    private final Log log;
    private final Cancellation cancellation;
    private final ProgressReporter progress;
    private final LevelExecutor executor;
    private final ScriptRunner scripts;
    private final CleanupSteps cleanupSteps;
    private final DeploymentScope scope;
    private final Workers workers;
    /** Tags this run's stoppable remote commands (see {@link RemoteStop}). */
    private final String runId;

    public RestoreWorkflow(RestoreOptions options, RunContext run) {
        this.options = options;
        this.log = run.log();
        this.cancellation = run.cancellation();
        this.progress = run.progress();
        this.workers = run.workers();
        this.runId = run.runId();
        this.executor = new LevelExecutor(options.maxInFlight(), cancellation, workers);
        this.scripts = new ScriptRunner(log, executor, runId, cancellation);
        this.cleanupSteps = new CleanupSteps(options.maxInFlight(), workers);
        this.scope = new DeploymentScope(options.bbrVersion(), executor, log);
    }

    /**
     * @param deploymentName for messages before discovery
     * @param openSource     opens the backup directory (its errors are reported as bbr's)
     */
    public RunResult restore(String deploymentName, Supplier<BackupSource> openSource,
            DeploymentAccessFactory accessFactory) {
        log.info("Starting restore of " + deploymentName + "...");
        BackupSource source;
        BackupMetadata metadata;
        try {
            source = openSource.get();
            log.info("Validating backup artifact for " + deploymentName + "...");
            List<ValidationProblem> problems = new ArtifactValidator().validate(source);
            if (!problems.isEmpty()) {
                return result(List.of(BbrError.of(ErrorKind.GENERAL, validationMessage(problems))));
            }
            metadata = source.readMetadata();
        } catch (RuntimeException e) {
            return result(List.of(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e)));
        } catch (IOException e) {
            return result(List.of(BbrError.of(ErrorKind.GENERAL, "Could not validate backup: " + Failures.describe(e), e)));
        }
        if (cancellation.isCancelled()) {
            return result(List.of());
        }
        DeploymentAccess access;
        try {
            access = accessFactory.open(log);
        } catch (DiscoveryException e) {
            return result(List.of(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e)));
        } catch (RuntimeException e) {
            return result(List.of(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e)));
        }
        List<BbrError> errors = new ArrayList<>();
        Set<Instance> uploadedTo = ConcurrentHashMap.newKeySet();
        String name = access.name();
        Cancellation.Registration stopOnCancel = () -> { };
        try {
            Deployment deployment = scope.discover(access);
            stopOnCancel = RemoteStop.arm(cancellation, deployment, runId, log, workers);
            LockOrder order = restorable(deployment, metadata, access.directorMode(), errors);
            if (order != null && !cancellation.isCancelled()) {
                List<BbrError> uploadErrors = upload(deployment, source, metadata, uploadedTo);
                errors.addAll(uploadErrors);
                if (uploadErrors.isEmpty() && !cancellation.isCancelled()) {
                    lockRestoreUnlock(deployment, order, errors);
                }
            }
        } catch (DiscoveryException e) {
            errors.add(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e));
        } catch (RuntimeException e) {
            errors.add(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e));
        } finally {
            stopOnCancel.close();
            errors.addAll(CleanupSteps.wrapped(name, cleanupSteps.removeArtifactDirectories(uploadedTo)));
            errors.addAll(CleanupSteps.wrapped(name, BackupWorkflow.releaseAccess(access)));
        }
        return result(errors);
    }

    /** {@code restore-cleanup}: find → post-restore-unlock (reverse, all jobs) → remove remote artifacts. */
    public RunResult restoreCleanup(DeploymentAccessFactory accessFactory) {
        return result(scope.run(accessFactory, (access, deployment, errors) -> errors.addAll(
                cleanupSteps.cleanupPrevious(access, deployment, orderer(access.directorMode()), unlockScripts(),
                        Phase.POST_RESTORE_UNLOCK, Map.of(), log))));
    }

    private static String validationMessage(List<ValidationProblem> problems) {
        boolean corrupted = problems.stream().anyMatch(p -> p.kind().isCorruption());
        String details = ArtifactValidator.describe(problems);
        return corrupted && !details.startsWith("Backup is corrupted") ? "Backup is corrupted\n" + details : details;
    }

    private LockOrderer orderer(boolean directorMode) {
        LockOrderer orderer = LockOrderer.forRestore();
        return directorMode ? orderer.matchingJobNamesOnly() : orderer;
    }

    /** bbr's restorable checks; returns the restore lock order, or null with errors collected. */
    private LockOrder restorable(Deployment deployment, BackupMetadata metadata, boolean directorMode,
            List<BbrError> errors) {
        String name = deployment.name();
        for (Instance instance : deployment.instances()) {
            if (instance.hasScript(Script.RESTORE)
                    && instance.jobs().stream().anyMatch(j -> j.metadata().restoreName() != null)) {
                String message = "discontinued metadata keys backup_name/restore_name found on instance "
                        + instance.group() + ". bbr cannot restore this backup artifact.";
                log.error(message);
                errors.add(BbrError.of(ErrorKind.GENERAL, message));
                return null;
            }
        }
        if (deployment.jobsWith(Script.RESTORE).isEmpty()) {
            errors.add(BbrError.of(ErrorKind.GENERAL, "Deployment '" + name + "' has no restore scripts"));
            return null;
        }
        for (InstanceMetadata backedUp : metadata.instances()) {
            boolean present = deployment.instances().stream().anyMatch(i -> i.group().equals(backedUp.name())
                    && i.index().equals(backedUp.index()));
            if (!present) {
                errors.add(BbrError.of(ErrorKind.GENERAL, "Deployment '" + name + "' does not match the structure of"
                        + " the provided backup: instance " + backedUp.name() + "/" + backedUp.index()
                        + " is not in the deployment"));
                return null;
            }
        }
        List<String> present = new ArrayList<>();
        // discovery's session already looked (InstanceCommands.findScripts)
        for (Instance instance : deployment.instances()) {
            if (instance.artifactRootPresent()) {
                present.add("Directory " + RemoteLayout.ARTIFACT_ROOT + " already exists on instance "
                        + instance.identifier());
            }
        }
        if (!present.isEmpty()) {
            errors.add(BbrError.of(ErrorKind.ARTIFACT_DIR, "Check artifact dir failed: " + String.join("\n", present)));
        }
        try {
            LockOrder order = orderer(directorMode).order(deployment.allJobs());
            return errors.isEmpty() ? order : null;
        } catch (CyclicLockGraphException e) {
            errors.add(BbrError.of(ErrorKind.GENERAL, e.getMessage()));
            return null;
        }
    }

    private List<BbrError> upload(Deployment deployment, BackupSource source, BackupMetadata metadata,
            Set<Instance> uploadedTo) {
        ArtifactUploader uploader = new ArtifactUploader(source, progress, log, runId);
        List<LevelExecutor.Task> tasks = new ArrayList<>();
        for (InstanceJob target : deployment.jobsWith(Script.RESTORE)) {
            Instance instance = target.instance();
            Job job = target.job();
            // backup_one_restore_all: the bootstrap's custom artifact goes to every instance with the job
            boolean custom = job.backupOneRestoreAll();
            ArtifactId id = custom ? ArtifactId.custom(job.customArtifactName())
                    : ArtifactId.of(instance.group(), instance.index(), job.name());
            String remoteDir = RemoteLayout.ARTIFACT_ROOT + "/" + (custom ? job.customArtifactName() : job.name());
            Optional<ArtifactChecksums> expected = custom ? metadata.customArtifact(job.customArtifactName())
                    : metadata.instanceArtifact(instance.group(), instance.index(), job.name());
            tasks.add(() -> {
                if (expected.isEmpty()) {
                    return List.of(BbrError.of(ErrorKind.RESTORE, "Unable to send backup to remote machine. Got error:"
                            + " the backup has no artifact " + BbrLayout.fileName(id) + " for job " + job.name()
                            + " on " + instance.identifier()));
                }
                uploadedTo.add(instance);
                return uploader.upload(instance, job.name(), id, remoteDir, expected.get().checksums());
            });
        }
        return executor.runLevel(tasks, ErrorKind.RESTORE);
    }

    /** Lock, restore, then unlock in a {@code finally}: once locking began, every job is unlocked. */
    private void lockRestoreUnlock(Deployment deployment, LockOrder order, List<BbrError> errors) {
        try {
            List<BbrError> lockErrors = scripts.runLevels(Phase.PRE_RESTORE_LOCK, order, j -> Map.of());
            errors.addAll(lockErrors.stream().map(e -> e.wrap("pre-restore-lock failed")).toList());
            if (lockErrors.isEmpty() && !cancellation.isCancelled()) {
                runRestoreScripts(deployment, errors);
            }
        } catch (RuntimeException e) {
            errors.add(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e));
        } finally {
            errors.addAll(unlockScripts().runLevels(Phase.POST_RESTORE_UNLOCK, order.reversed(), j -> Map.of()));
        }
    }

    private void runRestoreScripts(Deployment deployment, List<BbrError> errors) {
        log.emit(new PhaseStarted("restore"));
        List<LevelExecutor.Task> tasks = new ArrayList<>();
        for (InstanceJob target : deployment.jobsWith(Script.RESTORE)) {
            String dir = RemoteLayout.ARTIFACT_ROOT + "/" + (target.job().backupOneRestoreAll()
                    ? target.job().customArtifactName() : target.job().name());
            Map<String, String> env = Map.of("BBR_ARTIFACT_DIRECTORY", dir + "/", "ARTIFACT_DIRECTORY", dir + "/");
            tasks.add(() -> scripts.run(Phase.RESTORE, target, env));
        }
        List<BbrError> restoreErrors = executor.runLevel(tasks, ErrorKind.RESTORE);
        errors.addAll(restoreErrors);
        log.emit(new PhaseFinished("restore"));
        if (restoreErrors.isEmpty()) {
            log.info("Completed restore of " + deployment.name());
        }
    }

    /** Unlock runs to completion even when the operator cancelled. */
    private ScriptRunner unlockScripts() {
        return new ScriptRunner(log, new LevelExecutor(options.maxInFlight(), new Cancellation(), workers));
    }

    private RunResult result(List<BbrError> errors) {
        return new RunResult(new ErrorReport(errors), null, cancellation.isCancelled());
    }
}
