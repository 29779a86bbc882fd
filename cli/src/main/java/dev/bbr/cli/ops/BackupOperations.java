package dev.bbr.cli.ops;

import dev.bbr.app.ArtifactTools;
import dev.bbr.app.BackupRequest;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.core.drain.HumanSize;
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
                    session.codec(), session.layout(), invocation.leafFlags().byteSize(BbrCommands.MIN_FREE_SPACE));
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
            String artifactPath = invocation.leafDef().flags().contains(BbrCommands.PRE_CHECK_ARTIFACT_PATH)
                    ? invocation.leafFlags().string(BbrCommands.PRE_CHECK_ARTIFACT_PATH) : "";
            if (!artifactPath.isEmpty()) {
                reportSpace(session, artifactPath, name);
            }
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

    /** {@code --artifact-path} on pre-backup-check: free space there and the newest backup's size (issue 18). */
    private static void reportSpace(Session session, String location, String deployment) {
        try {
            ArtifactTools.SpaceReport space = session.app.artifacts().space(location, deployment);
            session.status(space.freeSpace().isPresent() ? "Free space in " + space.location() + ": "
                    + describe(space.freeSpace().getAsLong()) : "Free space in " + space.location() + ": not limited",
                    "free_space", deployment);
            session.status(space.newestBackup().map(b -> "Newest backup of " + deployment + " in " + space.location()
                    + ": " + b.name() + ", " + describe(b.storedBytes()) + " stored (an estimate of the next one)")
                    .orElse("No earlier backup of " + deployment + " in " + space.location()), "newest_backup",
                    deployment);
        } catch (StoreException e) {
            session.status("Cannot report the free space in " + location + ": " + e.getMessage(), "free_space",
                    deployment);
        }
    }

    private static String describe(long bytes) {
        return HumanSize.of(bytes) + " (" + bytes + " bytes)";
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
