package dev.bbr.core.workflow;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.model.Instance;
import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.InstanceCommands;
import dev.bbr.core.remote.RemoteException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The cleanup shared by every workflow: remote artifact directories, then error wording. */
final class CleanupSteps {
    private final int maxInFlight;

    CleanupSteps(int maxInFlight) {
        this.maxInFlight = maxInFlight;
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
                            + e.getMessage(), e));
                }
            });
        }
        return new LevelExecutor(maxInFlight, new Cancellation()).runLevel(tasks);
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
