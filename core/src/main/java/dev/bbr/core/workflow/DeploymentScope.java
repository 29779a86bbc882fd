package dev.bbr.core.workflow;

import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DeploymentDiscovery;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.discovery.JobFinder;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Deployment;
import dev.bbr.core.order.CyclicLockGraphException;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame every short workflow shares: open access, discover the deployment, do the work, and
 * always release access (temporary users, connections) at the end, collecting every error.
 */
final class DeploymentScope {
    private final String bbrVersion;
    private final LevelExecutor executor;
    private final Log log;

    DeploymentScope(String bbrVersion, LevelExecutor executor, Log log) {
        this.bbrVersion = bbrVersion;
        this.executor = executor;
        this.log = log;
    }

    /** The work done with a discovered deployment; adds its errors to the list. */
    @FunctionalInterface
    interface Work {
        void run(DeploymentAccess access, Deployment deployment, List<BbrError> errors)
                throws CyclicLockGraphException;
    }

    List<BbrError> run(DeploymentAccessFactory accessFactory, Work work) {
        DeploymentAccess access;
        try {
            access = new ReleaseOnceAccess(accessFactory.open(log));
        } catch (DiscoveryException e) {
            return List.of(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e));
        } catch (RuntimeException e) {
            return List.of(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e));
        }
        List<BbrError> errors = new ArrayList<>();
        try {
            work.run(access, discover(access), errors);
        } catch (DiscoveryException e) {
            errors.add(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e));
        } catch (CyclicLockGraphException e) {
            errors.add(BbrError.of(ErrorKind.GENERAL, e.getMessage()));
        } catch (RuntimeException e) {
            errors.add(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e));
        } finally {
            errors.addAll(CleanupSteps.wrapped(access.name(), BackupWorkflow.releaseAccess(access)));
        }
        return errors;
    }

    Deployment discover(DeploymentAccess access) throws DiscoveryException {
        return new DeploymentDiscovery(new JobFinder(bbrVersion, log), executor, log).discover(access);
    }
}
