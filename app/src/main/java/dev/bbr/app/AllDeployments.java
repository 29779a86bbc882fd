package dev.bbr.app;

import dev.bbr.app.AllDeploymentsRequest.Operation;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import dev.bbr.core.event.StatusLine;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.log.Log;
import dev.bbr.core.workflow.BackupOptions;
import dev.bbr.core.workflow.BackupWorkflow;
import dev.bbr.core.workflow.RunContext;
import dev.bbr.core.workflow.RunResult;
import dev.bbr.director.DeploymentSummary;
import dev.bbr.director.DirectorClient;
import dev.bbr.director.DirectorException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --all-deployments} for pre-backup-check, backup and backup-cleanup as the Go bbr runs them: every
 * deployment the Director lists, {@code maxDeployments} at a time, each with its own log file and
 * (for backup and cleanup) its own Director client, as bbr builds them; bbr's timestamped status
 * lines as {@link StatusLine} events.
 *
 * <p>One cancellation spans the run: once the operator stops, every deployment in flight stops (and
 * unlocks and cleans up), and deployments not yet started are not started.
 */
final class AllDeployments {
    private static final DateTimeFormatter STATUS_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String SEPARATOR = "-------------------------";
    static final String NOT_STARTED = "not started: the run was cancelled before it reached this deployment";

    private final BbrApp app;
    private final Connections connections;
    private final AllDeploymentsRequest request;
    private final RunContext run;
    private final DeploymentLogs logs;
    private final Operation operation;

    AllDeployments(BbrApp app, Connections connections, AllDeploymentsRequest request, RunContext run,
            DeploymentLogs logs) {
        this.app = app;
        this.connections = connections;
        this.request = request;
        this.run = run;
        this.logs = logs;
        this.operation = request.operation();
    }

    AllDeploymentsResult run() {
        if (operation == Operation.BACKUP) {
            plain("Starting backup...", "starting", null);
        }
        DirectorClient director;
        List<String> names;
        try {
            director = connections.director(request.director());
            names = director.deployments().stream().map(DeploymentSummary::name).toList();
        } catch (DiscoveryException | DirectorException e) {
            return listingFailed(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e));
        }
        if (names.isEmpty()) {
            // bbr: "Failed to find any deployments" on stderr, exit 1; the caller says it
            return new AllDeploymentsResult(List.of(), List.of(), Map.of(), run.cancellation().isCancelled(), null);
        }
        if (operation == Operation.BACKUP_CLEANUP) {
            plain("Starting cleanup...", "starting", null);
        }
        status("Pending: " + String.join(", ", names), "pending", null);
        status(SEPARATOR, "separator", null);
        Map<String, ErrorReport> failures = Collections.synchronizedMap(new LinkedHashMap<>());
        List<String> succeeded = Collections.synchronizedList(new ArrayList<>());
        List<LevelExecutor.Task> deployments = new ArrayList<>();
        for (String name : names) {
            deployments.add(() -> {
                ErrorReport report = runOneSafely(name, director);
                if (report.isEmpty()) {
                    succeeded.add(name);
                } else {
                    failures.put(name, report);
                }
                return List.of();
            });
        }
        // never cancelled itself: a deployment not yet started records "not started" instead
        new LevelExecutor(request.maxDeployments(), new dev.bbr.core.exec.Cancellation(), run.workers())
                .runLevel(deployments);
        status(SEPARATOR, "separator", null);
        List<String> ok = names.stream().filter(succeeded::contains).toList();
        status("Successfully " + operation.succeeded + ": " + String.join(", ", ok), "succeeded", null);
        AllDeploymentsResult result = new AllDeploymentsResult(names, ok, Map.copyOf(failures),
                run.cancellation().isCancelled(), null);
        if (!failures.isEmpty()) {
            status("FAILED: " + String.join(", ", result.failed()), "failed", null);
        }
        return result;
    }

    private AllDeploymentsResult listingFailed(BbrError error) {
        return new AllDeploymentsResult(List.of(), List.of(), Map.of(), run.cancellation().isCancelled(),
                new ErrorReport(List.of(error)));
    }

    /** One deployment's run; whatever goes wrong becomes that deployment's error, never the whole run's. */
    private ErrorReport runOneSafely(String name, DirectorClient sharedDirector) {
        if (run.cancellation().isCancelled()) {
            return new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, NOT_STARTED)));
        }
        try {
            return runOne(name, sharedDirector);
        } catch (RuntimeException e) {
            return new ErrorReport(List.of(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e)));
        }
    }

    private ErrorReport runOne(String name, DirectorClient sharedDirector) {
        String timestamp = ZonedDateTime.now(run.clock().withZone(ZoneOffset.UTC)).format(FILE_TIME);
        String artifactPath = operation == Operation.BACKUP ? request.artifactLocation() : "";
        // bbr prints the log file as given: just its name when it is in the working directory
        String logName = name + "_" + timestamp + ".log";
        String shownLogFile = artifactPath.isEmpty() ? logName : Path.of(artifactPath).resolve(logName).toString();
        Path logFile = app.environment().workingDirectory().resolve(artifactPath.isEmpty() ? "." : artifactPath)
                .resolve(logName);
        RunResult result;
        try (OutputStream file = operation == Operation.PRE_BACKUP_CHECK ? OutputStream.nullOutputStream()
                : Files.newOutputStream(logFile, StandardOpenOption.CREATE_NEW)) {
            if (operation != Operation.PRE_BACKUP_CHECK) {
                status("Starting " + operation.verb + " of " + name + ", log file: " + shownLogFile, "started", name);
            }
            Log log = logs.open(name, file);
            RunContext deploymentRun = new RunContext(run.runId(), log, run.cancellation(),
                    new LogProgressReporter(log), run.clock(), run.workers());
            Target.Deployment target = new Target.Deployment(request.director(), name);
            result = switch (operation) {
                case BACKUP -> backup(target, artifactPath, deploymentRun);
                case PRE_BACKUP_CHECK -> app.backupWorkflow(request.maxInFlight(), deploymentRun)
                        .preBackupCheck(connections.access(target, sharedDirector, request.maxInFlight()));
                case BACKUP_CLEANUP -> app.backupWorkflow(request.maxInFlight(), deploymentRun)
                        .backupCleanup(connections.access(target, request.maxInFlight()));
            };
        } catch (IOException e) {
            return new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, "cannot write log file " + logFile + ": "
                    + e.getMessage(), e)));
        }
        ErrorReport report = result.report();
        if (report.isEmpty() && result.cancelled()) {
            report = new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, "the " + operation.verb
                    + " was cancelled by the operator")));
        }
        outcome(name, report, logFile);
        return report;
    }

    /** One deployment's backup, under its run lock in the store, through the requested codec. */
    private RunResult backup(Target.Deployment target, String artifactPath, RunContext deploymentRun) {
        BackupStorage storage = app.backupStorage();
        RunLock lock;
        try {
            lock = storage.lock(artifactPath, target.name(), deploymentRun);
        } catch (BackupStorage.RunLockedException e) {
            return BackupStorage.refused(e);
        }
        try {
            BackupWorkflow workflow = new BackupWorkflow(new BackupOptions(request.withManifest(), false,
                    request.maxInFlight(), app.environment().bbrVersion(), request.minFreeSpace()), deploymentRun);
            return workflow.backup(connections.access(target, request.maxInFlight()),
                    storage.destinations(artifactPath, request.codec(), deploymentRun));
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private void outcome(String name, ErrorReport report, Path logFile) {
        if (report.isEmpty()) {
            status(switch (operation) {
                case BACKUP -> "Finished backup of " + name;
                case PRE_BACKUP_CHECK -> "Deployment '" + name + "' can be backed up.";
                case BACKUP_CLEANUP -> "Finished cleanup of " + name;
            }, "finished", name);
            return;
        }
        // the lines of one deployment's failure stay together
        synchronized (this) {
            switch (operation) {
                case PRE_BACKUP_CHECK -> {
                    status("Deployment '" + name + "' cannot be backed up.", "failed_deployment", name);
                    plain(indent(report.render()), "errors", name);
                }
                case BACKUP -> {
                    status("ERROR: failed to backup " + name, "failed_deployment", name);
                    dumpLog(name, logFile);
                }
                case BACKUP_CLEANUP -> {
                    plain("Failed to cleanup deployment '" + name + "'", "failed_deployment", name);
                    status("ERROR: failed to cleanup " + name, "failed_deployment", name);
                    dumpLog(name, logFile);
                }
            }
        }
    }

    /** bbr prints a failed deployment's whole log after its ERROR line (read back from its file). */
    private void dumpLog(String name, Path logFile) {
        try {
            String content = Files.readString(logFile, StandardCharsets.UTF_8);
            if (!content.isEmpty()) {
                run.log().emit(new StatusLine(content.endsWith("\n") ? content.substring(0, content.length() - 1)
                        : content, "deployment_log", name));
            }
        } catch (IOException e) {
            // the file is where the operator can read it; the summary still says which failed
        }
    }

    /** {@code [HH:MM:SS] text}, UTC, as bbr prints its --all-deployments lines. */
    private void status(String text, String kind, String subject) {
        plain("[" + ZonedDateTime.now(run.clock().withZone(ZoneOffset.UTC)).format(STATUS_TIME) + "] " + text,
                kind, subject);
    }

    /** Synchronized with {@link #outcome}, so a failed deployment's lines are never split by another's. */
    private synchronized void plain(String text, String kind, String subject) {
        run.log().emit(new StatusLine(text, kind, subject));
    }

    static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
