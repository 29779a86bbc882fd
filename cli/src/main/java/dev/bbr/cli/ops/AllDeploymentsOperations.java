package dev.bbr.cli.ops;

import dev.bbr.artifacts.destination.LocalDirectoryDestination;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.cli.output.BbrLog;
import dev.bbr.cli.output.PausableOutput;
import dev.bbr.cli.wiring.DirectorApiAccessFactory;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.errors.Advice;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.workflow.BackupOptions;
import dev.bbr.core.workflow.BackupWorkflow;
import dev.bbr.core.workflow.RunResult;
import dev.bbr.director.DeploymentSummary;
import dev.bbr.director.DirectorClient;
import dev.bbr.director.DirectorException;
import dev.bbr.ssh.SshTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code --all-deployments} for pre-backup-check, backup and backup-cleanup (bbr §3.10): every
 * deployment the Director lists, {@code --max-deployments} at a time, each with its own log file;
 * a timestamped summary on stdout and the combined report on stderr. Exit 1 if any failed.
 *
 * <p>Signals act on the whole run: SIGINT asks bbr's question once; {@code yes}, SIGTERM and SIGHUP
 * stop every deployment in flight (each unlocks what it locked, removes its remote artifacts and
 * temporary users, and keeps its artifact marked incomplete), and deployments not yet started are
 * not started.
 */
public final class AllDeploymentsOperations {
    private static final DateTimeFormatter STATUS_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String SEPARATOR = "-------------------------";
    static final String NOT_STARTED = "not started: the run was cancelled before it reached this deployment";

    private AllDeploymentsOperations() {}

    /** What differs between the three commands. */
    private enum Kind {
        BACKUP("backup", "backed up", "cannot be backed up"),
        PRE_BACKUP_CHECK("pre-backup-check", "can be backed up", "cannot be backed up"),
        CLEANUP("cleanup", "cleaned up", "could not be cleaned up");

        final String verb;
        final String succeeded;
        final String summary;

        Kind(String verb, String succeeded, String summary) {
            this.verb = verb;
            this.succeeded = succeeded;
            this.summary = summary;
        }
    }

    public static int backup(Invocation invocation, Console console) {
        return run(Kind.BACKUP, invocation, console);
    }

    public static int preBackupCheck(Invocation invocation, Console console) {
        return run(Kind.PRE_BACKUP_CHECK, invocation, console);
    }

    public static int backupCleanup(Invocation invocation, Console console) {
        return run(Kind.CLEANUP, invocation, console);
    }

    private static int run(Kind kind, Invocation invocation, Console console) {
        try (RunContext context = new RunContext(invocation, console)) {
            Cancellation cancellation = new Cancellation();
            try (SignalGuard guard = SignalGuard.install(context, cancellation, SignalGuard.Flavour.BACKUP)) {
                return runAll(kind, context, console, cancellation);
            }
        }
    }

    private static int runAll(Kind kind, RunContext context, Console console, Cancellation cancellation) {
        if (kind == Kind.BACKUP) {
            console.out().println("Starting backup...");
        }
        DirectorClient director;
        List<String> names;
        try {
            director = context.director();
            names = director.deployments().stream().map(DeploymentSummary::name).toList();
        } catch (DiscoveryException | DirectorException e) {
            return BackupOperations.finish(console, new ErrorReport(List.of(
                    BbrError.of(ErrorKind.GENERAL, e.getMessage(), e))), "");
        }
        if (names.isEmpty()) {
            console.err().println("Failed to find any deployments");
            return 1;
        }
        if (kind == Kind.CLEANUP) {
            console.out().println("Starting cleanup...");
        }
        status(console, "Pending: " + String.join(", ", names));
        status(console, SEPARATOR);
        Map<String, ErrorReport> failures = Collections.synchronizedMap(new LinkedHashMap<>());
        List<String> succeeded = Collections.synchronizedList(new ArrayList<>());
        int parallel = context.invocation.familyFlags().positiveInt(BbrCommands.MAX_DEPLOYMENTS);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, names.size()));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (String name : names) {
                running.add(pool.submit(() -> {
                    ErrorReport report = runOneSafely(kind, name, context, director, console, cancellation);
                    if (report.isEmpty()) {
                        succeeded.add(name);
                    } else {
                        failures.put(name, report);
                    }
                }));
            }
            awaitAll(running);
        } finally {
            pool.shutdown();
        }
        status(console, SEPARATOR);
        List<String> ok = names.stream().filter(succeeded::contains).toList();
        status(console, "Successfully " + kind.succeeded + ": " + String.join(", ", ok));
        if (failures.isEmpty()) {
            return 0;
        }
        List<String> failed = names.stream().filter(failures::containsKey).toList();
        status(console, "FAILED: " + String.join(", ", failed));
        BackupOperations.writeErrorLog(console, failed.stream().map(failures::get).toArray(ErrorReport[]::new));
        console.err().print(report(kind, names.size(), failed, failures, cancellation.isCancelled()));
        console.err().flush();
        return 1;
    }

    /** Waits for every deployment; the tasks never throw (see {@link #runOneSafely}). */
    private static void awaitAll(List<Future<?>> running) {
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // deployments are unlocking: their outcome matters
                } catch (java.util.concurrent.ExecutionException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One deployment's run; whatever goes wrong becomes that deployment's error, never the whole run's. */
    private static ErrorReport runOneSafely(Kind kind, String name, RunContext context, DirectorClient director,
            Console console, Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, NOT_STARTED)));
        }
        try {
            return runOne(kind, name, context, director, console, cancellation);
        } catch (RuntimeException e) {
            return new ErrorReport(List.of(LevelExecutor.unexpectedFailure(ErrorKind.GENERAL, e)));
        }
    }

    private static ErrorReport runOne(Kind kind, String name, RunContext context, DirectorClient sharedDirector,
            Console console, Cancellation cancellation) {
        String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(FILE_TIME);
        String artifactPath = kind == Kind.BACKUP ? context.invocation.leafFlags()
                .string(BbrCommands.BACKUP_ARTIFACT_PATH) : "";
        // bbr prints the log file as given: just its name when it is in the working directory
        String logName = name + "_" + timestamp + ".log";
        String shownLogFile = artifactPath.isEmpty() ? logName : Path.of(artifactPath).resolve(logName).toString();
        Path logFile = console.path(artifactPath).resolve(logName);
        RunResult result;
        try (OutputStream file = kind == Kind.PRE_BACKUP_CHECK ? OutputStream.nullOutputStream()
                : Files.newOutputStream(logFile, StandardOpenOption.CREATE_NEW);
                PrintStream sink = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            if (kind != Kind.PRE_BACKUP_CHECK) {
                status(console, "Starting " + kind.verb + " of " + name + ", log file: " + shownLogFile);
            }
            BbrLog log = new BbrLog("bbr", context.log.isDebug(), new PausableOutput(sink), Clock.systemDefaultZone());
            BackupWorkflow workflow = new BackupWorkflow(new BackupOptions(
                    kind == Kind.BACKUP && context.invocation.leafFlags().bool(BbrCommands.WITH_MANIFEST), false,
                    context.maxInFlight, context.version()), log, cancellation, new LogProgressReporter(log),
                    Clock.systemDefaultZone());
            result = switch (kind) {
                case BACKUP -> workflow.backup(access(context, name), n -> LocalDirectoryDestination.create(
                        console.path(artifactPath), n, Clock.systemUTC()));
                case PRE_BACKUP_CHECK -> workflow.preBackupCheck(l -> new DirectorApiAccessFactory(sharedDirector,
                        name, SshTransport.create(context.proxy()), context.maxInFlight).open(l));
                case CLEANUP -> workflow.backupCleanup(access(context, name));
            };
        } catch (IOException e) {
            return new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, "cannot write log file " + logFile + ": "
                    + e.getMessage(), e)));
        }
        ErrorReport report = result.report();
        if (report.isEmpty() && result.cancelled()) {
            report = new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, "the " + kind.verb
                    + " was cancelled by the operator")));
        }
        printOutcome(kind, name, console, report, logFile);
        return report;
    }

    /**
     * backup and backup-cleanup build a new Director client for each deployment, as bbr does (so a
     * Director that fails for one deployment fails that deployment only); building it is part of
     * opening access, so its errors are reported like discovery errors.
     */
    private static DeploymentAccessFactory access(RunContext context, String name) {
        return l -> new DirectorApiAccessFactory(context.director(), name, SshTransport.create(context.proxy()),
                context.maxInFlight).open(l);
    }

    private static void printOutcome(Kind kind, String name, Console console, ErrorReport report, Path logFile) {
        if (report.isEmpty()) {
            status(console, switch (kind) {
                case BACKUP -> "Finished backup of " + name;
                case PRE_BACKUP_CHECK -> "Deployment '" + name + "' can be backed up.";
                case CLEANUP -> "Finished cleanup of " + name;
            });
            return;
        }
        synchronized (console.out()) {
            switch (kind) {
                case PRE_BACKUP_CHECK -> {
                    status(console, "Deployment '" + name + "' cannot be backed up.");
                    console.out().println(indent(report.render()));
                }
                case BACKUP -> {
                    status(console, "ERROR: failed to backup " + name);
                    console.out().print(readQuietly(logFile));
                }
                case CLEANUP -> {
                    console.out().println("Failed to cleanup deployment '" + name + "'");
                    status(console, "ERROR: failed to cleanup " + name);
                    console.out().print(readQuietly(logFile));
                }
            }
            console.out().flush();
        }
    }

    /** The deployment's log, dumped after a failure as bbr does (read back from its file). */
    private static String readQuietly(Path logFile) {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** bbr §2.4; a cancelled run always advises the all-deployments cleanup. */
    static String report(Kind kind, int total, List<String> failed, Map<String, ErrorReport> failures,
            boolean cancelled) {
        StringBuilder out = new StringBuilder();
        out.append(failed.size()).append(" out of ").append(total).append(" deployments ").append(kind.summary)
                .append(":\n");
        failed.forEach(name -> out.append("  ").append(name).append('\n'));
        out.append('\n');
        for (String name : failed) {
            out.append("Deployment '").append(name).append("':\n").append(indent(failures.get(name).render()))
                    .append('\n');
        }
        boolean advise = cancelled || switch (kind) {
            case BACKUP -> failures.values().stream().anyMatch(ErrorReport::advisesBackupCleanup);
            case PRE_BACKUP_CHECK -> failures.values().stream().anyMatch(ErrorReport::firstIsArtifactDirError);
            case CLEANUP -> false;
        };
        if (advise) {
            out.append('\n').append(Advice.BACKUP_CLEANUP_ALL_DEPLOYMENTS).append('\n');
        }
        return out.toString();
    }

    private static void status(Console console, String text) {
        synchronized (console.out()) {
            console.out().println("[" + ZonedDateTime.now(ZoneOffset.UTC).format(STATUS_TIME) + "] " + text);
            console.out().flush();
        }
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
