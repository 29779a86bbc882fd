package dev.bbr.cli.ops;

import dev.bbr.artifacts.destination.LocalDirectoryDestination;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.cli.output.BbrLog;
import dev.bbr.cli.output.PausableOutput;
import dev.bbr.cli.output.TeeOutputStream;
import dev.bbr.cli.wiring.DirectorApiAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.errors.Advice;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.workflow.BackupOptions;
import dev.bbr.core.workflow.BackupWorkflow;
import dev.bbr.core.workflow.RunResult;
import dev.bbr.director.DeploymentSummary;
import dev.bbr.director.DirectorClient;
import dev.bbr.director.DirectorException;
import dev.bbr.ssh.SshTransport;
import java.io.ByteArrayOutputStream;
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
 */
public final class AllDeploymentsOperations {
    private static final DateTimeFormatter STATUS_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String SEPARATOR = "-------------------------";

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
            int parallel = invocation.familyFlags().positiveInt(BbrCommands.MAX_DEPLOYMENTS);
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, names.size()));
            try {
                List<Future<?>> running = new ArrayList<>();
                for (String name : names) {
                    running.add(pool.submit(() -> runOne(kind, name, context, director, console, succeeded,
                            failures)));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
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
            console.err().print(report(kind, names.size(), failed, failures));
            console.err().flush();
            return 1;
        }
    }

    private static void runOne(Kind kind, String name, RunContext context, DirectorClient director, Console console,
            List<String> succeeded, Map<String, ErrorReport> failures) {
        String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(FILE_TIME);
        String artifactPath = kind == Kind.BACKUP ? context.invocation.leafFlags()
                .string(BbrCommands.BACKUP_ARTIFACT_PATH) : "";
        Path parent = Path.of(artifactPath.isEmpty() ? "." : artifactPath);
        Path logFile = parent.resolve(name + "_" + timestamp + ".log");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        RunResult result;
        try (OutputStream file = kind == Kind.PRE_BACKUP_CHECK ? OutputStream.nullOutputStream()
                : Files.newOutputStream(logFile, StandardOpenOption.CREATE_NEW);
                PrintStream sink = new PrintStream(new TeeOutputStream(file, buffer), true, StandardCharsets.UTF_8)) {
            if (kind != Kind.PRE_BACKUP_CHECK) {
                status(console, "Starting " + kind.verb + " of " + name + ", log file: " + logFile);
            }
            BbrLog log = new BbrLog("bbr", context.log.isDebug(), new PausableOutput(sink), Clock.systemDefaultZone());
            BackupWorkflow workflow = new BackupWorkflow(new BackupOptions(
                    kind == Kind.BACKUP && context.invocation.leafFlags().bool(BbrCommands.WITH_MANIFEST), false,
                    context.maxInFlight, context.version()), log, new Cancellation(), new LogProgressReporter(log),
                    Clock.systemDefaultZone());
            DirectorApiAccessFactory access;
            try {
                access = new DirectorApiAccessFactory(director, name, SshTransport.create(context.proxy()),
                        context.maxInFlight);
            } catch (DiscoveryException e) {
                throw new IllegalStateException(e);
            }
            result = switch (kind) {
                case BACKUP -> workflow.backup(access, n -> LocalDirectoryDestination.create(parent, n,
                        Clock.systemUTC()));
                case PRE_BACKUP_CHECK -> workflow.preBackupCheck(access);
                case CLEANUP -> workflow.backupCleanup(access);
            };
        } catch (IOException e) {
            failures.put(name, new ErrorReport(List.of(BbrError.of(
                    ErrorKind.GENERAL, "cannot write log file " + logFile + ": " + e.getMessage(),
                    e))));
            return;
        }
        ErrorReport report = result.report();
        if (report.isEmpty()) {
            succeeded.add(name);
            status(console, switch (kind) {
                case BACKUP -> "Finished backup of " + name;
                case PRE_BACKUP_CHECK -> "Deployment '" + name + "' can be backed up.";
                case CLEANUP -> "Finished cleanup of " + name;
            });
            return;
        }
        failures.put(name, report);
        synchronized (console.out()) {
            switch (kind) {
                case PRE_BACKUP_CHECK -> {
                    status(console, "Deployment '" + name + "' cannot be backed up.");
                    console.out().println(indent(report.render()));
                }
                case BACKUP -> {
                    status(console, "ERROR: failed to backup " + name);
                    console.out().print(buffer.toString(StandardCharsets.UTF_8));
                }
                case CLEANUP -> {
                    console.out().println("Failed to cleanup deployment '" + name + "'");
                    status(console, "ERROR: failed to cleanup " + name);
                    console.out().print(buffer.toString(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** bbr §2.4. */
    static String report(Kind kind, int total, List<String> failed, Map<String, ErrorReport> failures) {
        StringBuilder out = new StringBuilder();
        out.append(failed.size()).append(" out of ").append(total).append(" deployments ").append(kind.summary)
                .append(":\n");
        failed.forEach(name -> out.append("  ").append(name).append('\n'));
        out.append('\n');
        for (String name : failed) {
            out.append("Deployment '").append(name).append("':\n").append(indent(failures.get(name).render()))
                    .append('\n');
        }
        boolean advise = switch (kind) {
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
