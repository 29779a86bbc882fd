package dev.bbr.cli.ops;

import dev.bbr.app.AllDeploymentsRequest;
import dev.bbr.app.AllDeploymentsRequest.Operation;
import dev.bbr.app.AllDeploymentsResult;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.core.errors.Advice;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import java.util.List;

/**
 * {@code --all-deployments} for pre-backup-check, backup and backup-cleanup: the application runs
 * every deployment and prints bbr's status lines; this turns the outcome into bbr's combined report
 * on stderr and exit 1 if any failed. Signals act on the whole run (one question).
 */
public final class AllDeploymentsOperations {
    private AllDeploymentsOperations() {}

    public static int backup(Invocation invocation, Console console) {
        return run(Operation.BACKUP, invocation, console);
    }

    public static int preBackupCheck(Invocation invocation, Console console) {
        return run(Operation.PRE_BACKUP_CHECK, invocation, console);
    }

    public static int backupCleanup(Invocation invocation, Console console) {
        return run(Operation.BACKUP_CLEANUP, invocation, console);
    }

    /** bbr for Java only: the newest complete backup of every deployment under {@code --artifact-path}. */
    public static int restore(Invocation invocation, Console console) {
        return run(Operation.RESTORE, invocation, console);
    }

    private static int run(Operation operation, Invocation invocation, Console console) {
        Session session = new Session(invocation, console);
        SignalGuard.Flavour flavour = operation == Operation.RESTORE ? SignalGuard.Flavour.RESTORE
                : SignalGuard.Flavour.BACKUP;
        try (SignalGuard guard = SignalGuard.install(session, session.cancellation, flavour)) {
            int maxDeployments = invocation.familyFlags().positiveInt(BbrCommands.MAX_DEPLOYMENTS);
            AllDeploymentsRequest request = switch (operation) {
                case RESTORE -> AllDeploymentsRequest.restore(session.director(),
                        invocation.leafFlags().string(BbrCommands.RESTORE_ARTIFACT_PATH), session.maxInFlight,
                        maxDeployments, invocation.leafFlags().strings(BbrCommands.IDENTITY),
                        invocation.leafFlags().bool(BbrCommands.SKIP_MISSING));
                case BACKUP -> AllDeploymentsRequest.backup(session.director(),
                        invocation.leafFlags().string(BbrCommands.BACKUP_ARTIFACT_PATH),
                        invocation.leafFlags().bool(BbrCommands.WITH_MANIFEST), session.maxInFlight, maxDeployments,
                        session.codec(), session.layout(),
                        invocation.leafFlags().byteSize(BbrCommands.MIN_FREE_SPACE));
                case PRE_BACKUP_CHECK, BACKUP_CLEANUP -> new AllDeploymentsRequest(session.director(), operation, "",
                        false, session.maxInFlight, maxDeployments, ArtifactCodec.PLAIN);
            };
            AllDeploymentsResult result = session.app.allDeployments(request, session.run(), session::fileLog);
            if (result.listing() != null) {
                return Outcomes.finish(session, result.listing(), "");
            }
            if (result.deployments().isEmpty()) {
                Outcomes.reportErrors(session, "Failed to find any deployments", new ErrorReport(List.of(
                        BbrError.of(ErrorKind.GENERAL, "Failed to find any deployments"))), 1);
                return 1;
            }
            if (result.failures().isEmpty()) {
                return 0;
            }
            List<String> failed = result.failed();
            ErrorReport[] reports = failed.stream().map(result.failures()::get).toArray(ErrorReport[]::new);
            Outcomes.writeErrorLog(console, reports);
            String text = report(operation, result);
            Outcomes.reportErrors(session, text.endsWith("\n") ? text.substring(0, text.length() - 1) : text,
                    new ErrorReport(failed.stream().flatMap(d -> result.failures().get(d).errors().stream()).toList()),
                    1);
            return 1;
        }
    }

    /** bbr's combined report (docs/exit-codes.md); a cancelled run always advises the all-deployments cleanup. */
    static String report(Operation operation, AllDeploymentsResult result) {
        List<String> failed = result.failed();
        StringBuilder out = new StringBuilder();
        out.append(failed.size()).append(" out of ").append(result.deployments().size()).append(" deployments ")
                .append(operation.failedSummary).append(":\n");
        failed.forEach(name -> out.append("  ").append(name).append('\n'));
        out.append('\n');
        for (String name : failed) {
            out.append("Deployment '").append(name).append("':\n")
                    .append(BackupOperations.indent(result.failures().get(name).render())).append('\n');
        }
        boolean advise = result.cancelled() || switch (operation) {
            case BACKUP -> result.failures().values().stream().anyMatch(ErrorReport::advisesBackupCleanup);
            case PRE_BACKUP_CHECK -> result.failures().values().stream().anyMatch(ErrorReport::firstIsArtifactDirError);
            case BACKUP_CLEANUP -> false;
            // a restore that failed part way may have left its jobs locked (bbr advises nothing; we do)
            case RESTORE -> true;
        };
        if (advise) {
            out.append('\n').append(operation == Operation.RESTORE ? Advice.RESTORE_CLEANUP_ALL_DEPLOYMENTS
                    : Advice.BACKUP_CLEANUP_ALL_DEPLOYMENTS).append('\n');
        }
        return out.toString();
    }
}
