package dev.bbr.core.workflow;

import dev.bbr.core.errors.Failures;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.model.Instance;
import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.InstanceCommands;
import dev.bbr.core.remote.RemoteException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Deployment;
import dev.bbr.core.order.CyclicLockGraphException;
import dev.bbr.core.order.LockOrder;
import dev.bbr.core.order.LockOrderer;

/** The cleanup shared by every workflow: remote artifact directories, then error wording. */
final class CleanupSteps {
    private final int maxInFlight;
    private final Workers workers;

    CleanupSteps(int maxInFlight, Workers workers) {
        this.maxInFlight = maxInFlight;
        this.workers = workers;
    }

    /** Removes {@code /var/vcap/store/bbr-backup}; runs to completion even after cancellation. */
    List<BbrError> removeArtifactDirectories(Collection<Instance> instances) {
        List<LevelExecutor.Task> tasks = new ArrayList<>();
        for (Instance instance : instances) {
            tasks.add(() -> {
                try {
                    ExecResult removed = instance.shell().run(InstanceCommands.removeArtifactRoot());
                    return removed.succeeded() ? List.of() : List.of(BbrError.of(ErrorKind.CLEANUP,
                            "failed to remove backup artifact: " + removed.failureText()));
                } catch (RemoteException e) {
                    return List.of(BbrError.of(ErrorKind.CLEANUP, "failed to remove backup artifact: "
                            + Failures.describe(e), e));
                }
            });
        }
        return new LevelExecutor(maxInFlight, new Cancellation(), workers).runLevel(tasks, ErrorKind.CLEANUP);
    }

    /**
     * backup-cleanup and restore-cleanup: every unlock script of the phase in reverse lock order,
     * then remove the remote artifact directories and the temporary user. bbr counts these
     * commands' own cleanup failures as general errors (exit 1), not 16.
     */
    List<BbrError> cleanupPrevious(DeploymentAccess access, Deployment deployment, LockOrderer orderer,
            ScriptRunner scripts, Phase unlock, Map<String, String> env, Log log) throws CyclicLockGraphException {
        LockOrder order = orderer.order(deployment.allJobs());
        stopLeftoverRuns(deployment, log);
        List<BbrError> errors = new ArrayList<>(scripts.runLevels(unlock, order.reversed(), j -> env));
        List<BbrError> cleanup = new ArrayList<>(removeArtifactDirectories(deployment.instances()));
        cleanup.addAll(BackupWorkflow.releaseAccess(access));
        errors.addAll(asGeneral(wrapped(deployment.name(), cleanup)));
        if (errors.isEmpty()) {
            log.info("'" + deployment.name() + "' cleaned up\n");
        }
        return errors;
    }

    /**
     * A run that was killed ({@code kill -9}, a lost jumpbox) leaves its scripts and transfers running
     * on the instances; unlocking under a backup script that still writes would be worse than not
     * unlocking. So the cleanup commands first stop every stoppable command of any bbr run there
     * (issue 11, K01-K08). Best effort: an instance where this fails is still unlocked.
     */
    private static void stopLeftoverRuns(Deployment deployment, Log log) {
        for (dev.bbr.core.model.Instance instance : deployment.instances()) {
            try {
                instance.shell().runControl(dev.bbr.core.remote.InstanceCommands.stopAnyRun());
            } catch (dev.bbr.core.remote.RemoteException | RuntimeException e) {
                log.debug("stopping leftover commands on " + instance.identifier() + " failed: " + e.getMessage());
            }
        }
    }

    /** bbr wraps every cleanup error as {@code Deployment 'd' failed while cleaning up with error: …}. */
    static List<BbrError> wrapped(String deployment, List<BbrError> raw) {
        return raw.stream().map(e -> BbrError.of(ErrorKind.CLEANUP, "Deployment '" + deployment
                + "' failed while cleaning up with error: " + e.message(), e.cause())).toList();
    }

    /** backup-cleanup and restore-cleanup count their own cleanup failures as general errors (exit 1). */
    static List<BbrError> asGeneral(List<BbrError> errors) {
        return errors.stream().map(e -> BbrError.of(ErrorKind.GENERAL, e.message(), e.cause())).toList();
    }
}
