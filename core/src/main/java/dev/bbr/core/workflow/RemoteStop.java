package dev.bbr.core.workflow;

import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Deployment;
import dev.bbr.core.model.Instance;
import dev.bbr.core.remote.InstanceCommands;
import dev.bbr.core.remote.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Stops what a cancelled run has running on its instances: lock, backup and restore scripts and
 * artifact transfers are started stoppable (tagged with the run id), and on cancellation every
 * instance gets {@code pkill} for that tag on its control lane, so a script in the middle of a long
 * restore ends within seconds and the unlock scripts can run. Unlock and cleanup commands are never
 * tagged, so they are never stopped.
 */
final class RemoteStop {
    private RemoteStop() {}

    /** A fresh run id: 32 hex digits. */
    static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Arms the stop for one deployment until the returned registration is closed. */
    static Cancellation.Registration arm(Cancellation cancellation, Deployment deployment, String runId, Log log,
            Workers workers) {
        return cancellation.onCancel(() -> stopAll(deployment, runId, log, workers));
    }

    /** Every instance at once: stopping is urgent, and each pkill is one short control command. */
    private static void stopAll(Deployment deployment, String runId, Log log, Workers workers) {
        log.info("Stopping the scripts and transfers still running on the instances...");
        List<LevelExecutor.Task> stops = new ArrayList<>();
        for (Instance instance : deployment.instances()) {
            stops.add(() -> {
                stop(instance, runId, log);
                return List.of();
            });
        }
        new LevelExecutor(Math.max(1, stops.size()), new Cancellation(), workers).runLevel(stops);
    }

    private static void stop(Instance instance, String runId, Log log) {
        try {
            instance.shell().runControl(InstanceCommands.stopRun(runId));
        } catch (RemoteException | RuntimeException e) {
            log.debug("stopping the run's commands on " + instance.identifier() + " failed: " + e.getMessage());
        }
    }
}
