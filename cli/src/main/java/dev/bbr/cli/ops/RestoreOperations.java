package dev.bbr.cli.ops;

import dev.bbr.artifacts.destination.ArtifactStoreException;
import dev.bbr.artifacts.destination.BackupSource;
import dev.bbr.artifacts.destination.LocalDirectorySource;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.core.errors.Advice;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.workflow.RestoreOptions;
import dev.bbr.core.workflow.RestoreWorkflow;
import dev.bbr.core.workflow.RunResult;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** {@code restore} and {@code restore-cleanup}, for both families. */
public final class RestoreOperations {
    private RestoreOperations() {}

    public static int restore(Invocation invocation, Console console) {
        try (RunContext context = new RunContext(invocation, console)) {
            Cancellation cancellation = new Cancellation();
            try (SignalGuard guard = SignalGuard.install(context, cancellation, SignalGuard.Flavour.RESTORE)) {
                Path artifact = console.path(invocation.leafFlags().string(BbrCommands.RESTORE_ARTIFACT_PATH));
                RunResult result = workflow(context, cancellation).restore(context.targetName(),
                        () -> open(artifact), log -> context.accessFactory().open(log));
                if (result.cancelled()) {
                    return BackupOperations.cancelled(console, result.report(), Advice.RESTORE_CLEANUP);
                }
                // bbr prints no footer after a failed restore
                return BackupOperations.finish(console, result.report(), "");
            }
        }
    }

    public static int restoreCleanup(Invocation invocation, Console console) {
        try (RunContext context = new RunContext(invocation, console)) {
            Cancellation cancellation = new Cancellation();
            // bbr asks the backup question here too
            try (SignalGuard guard = SignalGuard.install(context, cancellation, SignalGuard.Flavour.BACKUP)) {
                RunResult result = workflow(context, cancellation)
                        .restoreCleanup(log -> context.accessFactory().open(log));
                return BackupOperations.finish(console, result.report(), "");
            }
        }
    }

    private static RestoreWorkflow workflow(RunContext context, Cancellation cancellation) {
        return new RestoreWorkflow(new RestoreOptions(context.maxInFlight, context.version()), context.log,
                cancellation, BackupOperations.progress(context));
    }

    private static BackupSource open(Path artifact) {
        try {
            return LocalDirectorySource.open(artifact);
        } catch (ArtifactStoreException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
