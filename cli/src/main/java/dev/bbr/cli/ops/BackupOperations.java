package dev.bbr.cli.ops;

import dev.bbr.app.BackupRequest;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.core.errors.Advice;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import dev.bbr.core.workflow.RunResult;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code backup}, {@code pre-backup-check} and {@code backup-cleanup}, for both families. */
public final class BackupOperations {
    private static final DateTimeFormatter STATUS_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private BackupOperations() {}

    public static int backup(Invocation invocation, Console console) {
        Session session = new Session(invocation, console);
        try (SignalGuard guard = SignalGuard.install(session, session.cancellation, SignalGuard.Flavour.BACKUP)) {
            boolean deploymentMode = !session.directorMode();
            BackupRequest request = new BackupRequest(session.target(),
                    invocation.leafFlags().string(BbrCommands.BACKUP_ARTIFACT_PATH),
                    deploymentMode && invocation.leafFlags().bool(BbrCommands.WITH_MANIFEST),
                    deploymentMode && invocation.leafFlags().bool(BbrCommands.UNSAFE_LOCK_FREE), session.maxInFlight,
                    session.codec(), session.layout());
            RunResult result = session.app.backup(request, session.run());
            if (result.cancelled()) {
                return Outcomes.cancelled(session, result.report(), Advice.BACKUP_CLEANUP);
            }
            return Outcomes.finish(session, result.report(), result.report().advisesBackupCleanup()
                    ? Advice.BACKUP_CLEANUP : "");
        }
    }

    public static int preBackupCheck(Invocation invocation, Console console) {
        Session session = new Session(invocation, console);
        // bbr traps no signal here; we do, so that a stopped check still removes its temporary users
        try (SignalGuard guard = SignalGuard.install(session, session.cancellation, SignalGuard.Flavour.BACKUP)) {
            RunResult result = session.app.preBackupCheck(session.target(), session.maxInFlight, session.run());
            ErrorReport report = result.report();
            if (report.isEmpty() && result.cancelled()) {
                report = new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL,
                        "the pre-backup-check was cancelled by the operator")));
            }
            String name = session.target().name();
            String subject = session.directorMode() ? "Director" : "Deployment '" + name + "'";
            String prefix = session.directorMode() ? ""
                    : "[" + ZonedDateTime.now(ZoneOffset.UTC).format(STATUS_TIME) + "] ";
            if (report.isEmpty()) {
                session.status(prefix + subject + " can be backed up.", "can_be_backed_up", name);
                return 0;
            }
            session.status(prefix + subject + " cannot be backed up.", "cannot_be_backed_up", name);
            session.status(indent(report.render()), "errors", name);
            return Outcomes.finish(session, report, report.firstIsArtifactDirError() ? Advice.BACKUP_CLEANUP : "");
        }
    }

    public static int backupCleanup(Invocation invocation, Console console) {
        Session session = new Session(invocation, console);
        try (SignalGuard guard = SignalGuard.install(session, session.cancellation, SignalGuard.Flavour.BACKUP)) {
            RunResult result = session.app.backupCleanup(session.target(), session.maxInFlight, session.run());
            return Outcomes.finish(session, result.report(), "");
        }
    }

    static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
