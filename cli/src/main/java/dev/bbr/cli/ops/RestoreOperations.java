package dev.bbr.cli.ops;

import dev.bbr.app.RestoreRequest;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.core.errors.Advice;
import dev.bbr.core.workflow.RunResult;

/** {@code restore} and {@code restore-cleanup}, for both families. */
public final class RestoreOperations {
    private RestoreOperations() {}

    public static int restore(Invocation invocation, Console console) {
        Session session = new Session(invocation, console);
        try (SignalGuard guard = SignalGuard.install(session, session.cancellation, SignalGuard.Flavour.RESTORE)) {
            RestoreRequest request = new RestoreRequest(session.target(),
                    invocation.leafFlags().string(BbrCommands.RESTORE_ARTIFACT_PATH), session.maxInFlight,
                    invocation.leafFlags().strings(BbrCommands.IDENTITY));
            RunResult result = session.app.restore(request, session.run());
            if (result.cancelled()) {
                return Outcomes.cancelled(session, result.report(), Advice.RESTORE_CLEANUP);
            }
            // bbr prints no footer after a failed restore
            return Outcomes.finish(session, result.report(), "");
        }
    }

    public static int restoreCleanup(Invocation invocation, Console console) {
        Session session = new Session(invocation, console);
        // bbr asks the backup question here too
        try (SignalGuard guard = SignalGuard.install(session, session.cancellation, SignalGuard.Flavour.BACKUP)) {
            RunResult result = session.app.restoreCleanup(session.target(), session.maxInFlight, session.run());
            return Outcomes.finish(session, result.report(), "");
        }
    }
}
