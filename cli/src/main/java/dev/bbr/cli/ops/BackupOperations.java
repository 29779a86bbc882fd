package dev.bbr.cli.ops;

import dev.bbr.artifacts.destination.LocalDirectoryDestination;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.cli.output.ErrorLogFile;
import dev.bbr.cli.output.TerminalProgressReporter;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.drain.ProgressReporter;
import dev.bbr.core.errors.Advice;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.workflow.BackupOptions;
import dev.bbr.core.workflow.BackupWorkflow;
import dev.bbr.core.workflow.RunResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** {@code backup}, {@code pre-backup-check} and {@code backup-cleanup}, for both families. */
public final class BackupOperations {
    private static final DateTimeFormatter STATUS_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private BackupOperations() {}

    public static int backup(Invocation invocation, Console console) {
        try (RunContext context = new RunContext(invocation, console)) {
            Cancellation cancellation = new Cancellation();
            try (SignalGuard guard = SignalGuard.install(context, cancellation, SignalGuard.Flavour.BACKUP)) {
                BackupWorkflow workflow = workflow(context, invocation, cancellation);
                String artifactPath = invocation.leafFlags().string(BbrCommands.BACKUP_ARTIFACT_PATH);
                Path parent = console.path(artifactPath);
                DeploymentAccessFactory access = lazy(context);
                RunResult result = workflow.backup(access,
                        name -> LocalDirectoryDestination.create(parent, name, Clock.systemUTC()));
                if (result.cancelled()) {
                    return cancelled(console, result.report(), Advice.BACKUP_CLEANUP);
                }
                return finish(console, result.report(), result.report().advisesBackupCleanup()
                        ? Advice.BACKUP_CLEANUP : "");
            }
        }
    }

    public static int preBackupCheck(Invocation invocation, Console console) {
        try (RunContext context = new RunContext(invocation, console);
                // bbr traps no signal here; we do, so that a stopped check still removes its temporary users
                SignalGuard guard = SignalGuard.install(context, context.cancellation, SignalGuard.Flavour.BACKUP)) {
            RunResult result = workflow(context, invocation, context.cancellation).preBackupCheck(lazy(context));
            ErrorReport report = result.report();
            if (report.isEmpty() && result.cancelled()) {
                report = new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL,
                        "the pre-backup-check was cancelled by the operator")));
            }
            String subject = context.directorMode() ? "Director" : "Deployment '" + context.targetName() + "'";
            String prefix = context.directorMode() ? "" : "[" + ZonedDateTime.now(ZoneOffset.UTC).format(STATUS_TIME)
                    + "] ";
            if (report.isEmpty()) {
                console.out().println(prefix + subject + " can be backed up.");
                return 0;
            }
            console.out().println(prefix + subject + " cannot be backed up.");
            console.out().println(indent(report.render()));
            return finish(console, report, report.firstIsArtifactDirError() ? Advice.BACKUP_CLEANUP : "");
        }
    }

    public static int backupCleanup(Invocation invocation, Console console) {
        try (RunContext context = new RunContext(invocation, console)) {
            Cancellation cancellation = new Cancellation();
            try (SignalGuard guard = SignalGuard.install(context, cancellation, SignalGuard.Flavour.BACKUP)) {
                RunResult result = workflow(context, invocation, cancellation).backupCleanup(lazy(context));
                return finish(console, result.report(), "");
            }
        }
    }

    private static BackupWorkflow workflow(RunContext context, Invocation invocation, Cancellation cancellation) {
        boolean withManifest = !invocation.isDirector() && invocation.leafFlags().bool(BbrCommands.WITH_MANIFEST);
        boolean lockFree = !invocation.isDirector() && invocation.leafFlags().bool(BbrCommands.UNSAFE_LOCK_FREE);
        BackupOptions options = new BackupOptions(withManifest, lockFree, context.maxInFlight, context.version());
        return new BackupWorkflow(options, context.log, cancellation, progress(context),
                Clock.systemDefaultZone());
    }

    /** A live bar for a person at a terminal; bbr's percentage lines under nohup, in pipelines and with --debug. */
    static ProgressReporter progress(RunContext context) {
        return context.output.region() != null
                ? new TerminalProgressReporter(context.output.region()) : new LogProgressReporter(context.log);
    }

    /** Building the Director client is part of opening access, so its errors are reported like bbr's. */
    private static DeploymentAccessFactory lazy(RunContext context) {
        return log -> context.accessFactory().open(log);
    }

    static int finish(Console console, ErrorReport report, String footer) {
        if (report.isEmpty()) {
            return 0;
        }
        writeErrorLog(console, report);
        console.err().println(report.render(footer));
        console.err().flush();
        return report.exitCode();
    }

    /** A cancelled run: bbr's advice on stdout, exit 1; its errors, if any, still go to the err.log. */
    static int cancelled(Console console, ErrorReport report, String advice) {
        if (!report.isEmpty()) {
            writeErrorLog(console, report);
        }
        console.out().println(advice);
        return 1;
    }

    /** bbr's {@code bbr-<time>.err.log} in the working directory, after every failed run. */
    static void writeErrorLog(Console console, ErrorReport... reports) {
        ErrorLogFile.write(console.workingDirectory(), Clock.systemUTC(), List.of(reports), console.err());
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
