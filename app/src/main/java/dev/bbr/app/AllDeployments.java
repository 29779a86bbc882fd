package dev.bbr.app;

import dev.bbr.app.AllDeploymentsRequest.Operation;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StoreException;
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
import dev.bbr.core.workflow.RestoreOptions;
import dev.bbr.core.workflow.RestoreWorkflow;
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
import java.util.Optional;

/**
 * {@code --all-deployments} for pre-backup-check, backup and backup-cleanup as the Go bbr runs them (and
 * restore, which Go bbr refuses: the newest complete backup of each deployment under the path): every
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
    /** {@code restore}: the backup chosen for each deployment. */
    private NewestBackups restoreFrom;

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
        if (operation == Operation.BACKUP || operation == Operation.RESTORE) {
            plain("Starting " + operation.verb + "...", "starting", null);
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
        if (operation == Operation.RESTORE) {
            Optional<ErrorReport> refused = chooseBackups(names);
            if (refused.isPresent()) {
                return new AllDeploymentsResult(List.of(), List.of(), Map.of(), run.cancellation().isCancelled(),
                        refused.get());
            }
            names = List.copyOf(restoreFrom.selected().keySet());
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
        // bbr writes each deployment's log next to its backups; for a remote location, in the working directory
        String logDirectory = artifactPath.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? "" : artifactPath;
        // bbr prints the log file as given: just its name when it is in the working directory
        String logName = name + "_" + timestamp + ".log";
        String shownLogFile = logDirectory.isEmpty() ? logName : Path.of(logDirectory).resolve(logName).toString();
        Path logFile = app.environment().workingDirectory().resolve(logDirectory.isEmpty() ? "." : logDirectory)
                .resolve(logName);
        RunResult result;
        try (OutputStream file = operation == Operation.PRE_BACKUP_CHECK ? OutputStream.nullOutputStream()
                : Files.newOutputStream(logFile, StandardOpenOption.CREATE_NEW)) {
            if (operation != Operation.PRE_BACKUP_CHECK) {
                String from = operation == Operation.RESTORE ? " from " + restoreFrom.selected().get(name) : "";
                status("Starting " + operation.verb + " of " + name + from + ", log file: " + shownLogFile, "started",
                        name);
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
                case RESTORE -> new RestoreWorkflow(new RestoreOptions(request.maxInFlight(),
                        app.environment().bbrVersion()), deploymentRun).restore(name,
                        app.backupStorage().restoreSource(restoreFrom.store(), restoreFrom.selected().get(name),
                                request.identityFiles()),
                        connections.access(target, request.maxInFlight()));
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
        BackupStorage storage = app.backupStorage(request.layout());
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

    /**
     * Picks the newest complete backup of every listed deployment and checks, before any deployment is
     * touched, that each can be opened with the identities given. A deployment without a backup stops
     * the whole run (naming every such deployment) unless the operator asked to skip them.
     */
    private Optional<ErrorReport> chooseBackups(List<String> names) {
        String location = request.artifactLocation();
        try {
            restoreFrom = NewestBackups.find(app, location, names);
        } catch (StoreException e) {
            return Optional.of(new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, e.getMessage(), e))));
        }
        List<String> missing = restoreFrom.missing();
        if (!missing.isEmpty() && !request.skipMissing()) {
            return Optional.of(new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, "no complete backup under "
                    + location + " for " + missing.size() + " of " + names.size() + " deployments: "
                    + String.join(", ", missing) + "; restore the others with --skip-missing, or restore each"
                    + " with --deployment"))));
        }
        missing.forEach(d -> status("Skipping " + d + ": no complete backup under " + location, "skipped", d));
        if (restoreFrom.selected().isEmpty()) {
            return Optional.of(new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, "no complete backup under "
                    + location + " for any of the Director's deployments (" + String.join(", ", names) + ")"))));
        }
        List<BbrError> unusable = new ArrayList<>();
        BackupStorage storage = app.backupStorage();
        restoreFrom.selected().forEach((deployment, backup) -> {
            try {
                storage.decoded(restoreFrom.store().open(backup), request.identityFiles());
            } catch (IOException | RuntimeException e) {
                unusable.add(BbrError.of(ErrorKind.GENERAL, deployment + " (" + backup + "): " + e.getMessage(), e));
            }
        });
        return unusable.isEmpty() ? Optional.empty() : Optional.of(new ErrorReport(unusable));
    }

    private void outcome(String name, ErrorReport report, Path logFile) {
        if (report.isEmpty()) {
            status(switch (operation) {
                case BACKUP -> "Finished backup of " + name;
                case PRE_BACKUP_CHECK -> "Deployment '" + name + "' can be backed up.";
                case BACKUP_CLEANUP -> "Finished cleanup of " + name;
                case RESTORE -> "Finished restore of " + name;
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
                case RESTORE -> {
                    status("ERROR: failed to restore " + name, "failed_deployment", name);
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
