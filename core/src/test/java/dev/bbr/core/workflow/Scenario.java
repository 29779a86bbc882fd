package dev.bbr.core.workflow;

import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.HostInfo;
import dev.bbr.core.discovery.ManifestInfo;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.event.Event;
import dev.bbr.core.event.Level;
import dev.bbr.core.event.LogLine;
import dev.bbr.core.event.TransferProgress;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A two-instance deployment of fake VMs ({@code redis/0} and {@code web/0}, each with one job that
 * has every lock script, backup and restore), and the calls to run every workflow against it. Tests
 * may change the deployment before a run: the hosts listed, each VM's jobs and scripts, the manifest,
 * director mode and the workflow options.
 */
final class Scenario {
    static final Set<String> ALL_SCRIPTS = Set.of("pre-backup-lock", "backup", "post-backup-unlock",
            "pre-restore-lock", "restore", "post-restore-unlock");

    final Path artifacts;
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<String> cleanups = new CopyOnWriteArrayList<>();
    final Set<String> failing = new HashSet<>();
    final FakeShell redis0;
    final FakeShell web0;
    final Cancellation cancellation = new Cancellation();
    RuntimeException cleanupThrows;
    UnaryOperator<BackupDestination> destinationWrapper = d -> d;
    /** The VMs the Director lists, in its order; tests may add or remove some between runs. */
    final List<HostInfo> hosts = new CopyOnWriteArrayList<>();
    /** Each VM's jobs and their scripts (mutable: a test may change a deployment between backup and restore). */
    final Map<String, Set<String>> redisJobs = new ConcurrentHashMap<>(Map.of("redis", new HashSet<>(ALL_SCRIPTS)));
    final Map<String, Set<String>> webJobs = new ConcurrentHashMap<>(Map.of("web", new HashSet<>(ALL_SCRIPTS)));
    ManifestInfo manifest = ManifestInfo.NONE;
    boolean directorMode;
    BackupOptions backupOptions = new BackupOptions(false, false, 4, "1.0");
    RestoreOptions restoreOptions = new RestoreOptions(4, "1.0");

    Scenario(Path artifacts) {
        this.artifacts = artifacts;
        this.redis0 = vm("redis-0", redisJobs);
        this.web0 = vm("web-0", webJobs);
        hosts.add(new HostInfo("redis", "0", "r-0", true, redis0));
        hosts.add(new HostInfo("web", "0", "w-0", true, web0));
    }

    /** Another fake VM sharing this scenario's failing scripts and command log (add it to {@link #hosts}). */
    FakeShell vm(String name, Map<String, Set<String>> jobs) {
        return new FakeShell(name, jobs, failing, commands);
    }

    BackupWorkflow backupWorkflow() {
        return new BackupWorkflow(backupOptions, run());
    }

    RestoreWorkflow restoreWorkflow() {
        return new RestoreWorkflow(restoreOptions, run());
    }

    RunResult backup() {
        return backupWorkflow().backup(log -> access(), name -> destinationWrapper.apply(
                new LocalArtifactStore(artifacts, Clock.systemUTC()).createBackup(name)));
    }

    RunResult preBackupCheck() {
        return backupWorkflow().preBackupCheck(log -> access());
    }

    RunResult backupCleanup() {
        return backupWorkflow().backupCleanup(log -> access());
    }

    RunResult restoreCleanup() {
        return restoreWorkflow().restoreCleanup(log -> access());
    }

    RunResult restore(Path backup) {
        RestoreWorkflow workflow = restoreWorkflow();
        return workflow.restore("dep", () -> {
            try {
                return LocalArtifactStore.openBackup(backup);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, log -> access());
    }

    /** Events of the runs, for tests that assert on them. */
    final List<Event> events = new CopyOnWriteArrayList<>();

    RunContext run() {
        return new RunContext(RunContext.newRunId(), events::add, cancellation, new LogProgressReporter(events::add),
                Clock.systemUTC(), Workers.shared());
    }

    DeploymentAccess access() {
        return new DeploymentAccess() {
            @Override
            public String name() {
                return "dep";
            }

            @Override
            public List<HostInfo> hosts() {
                return List.copyOf(hosts);
            }

            @Override
            public ManifestInfo manifest() {
                return manifest;
            }

            @Override
            public boolean directorMode() {
                return directorMode;
            }

            @Override
            public String downloadManifest() {
                return "name: dep\n";
            }

            @Override
            public List<BbrError> cleanup() {
                cleanups.add("ssh cleanup");
                if (cleanupThrows != null) {
                    throw cleanupThrows;
                }
                return List.of();
            }
        };
    }

    /** Script runs ({@code <vm> <job> <script>[ (true|false)]}) in the order they happened. */
    List<String> scriptRuns() {
        return commands.stream().filter(c -> !c.contains(" rm ") && !c.contains(" upload ")).toList();
    }

    /** The typed events of the runs (neither plain log lines nor progress), in the order emitted. */
    List<Event> typedEvents() {
        return events.stream().filter(e -> !(e instanceof LogLine)
                && !(e instanceof TransferProgress)).toList();
    }

    /** The text of every plain log line of this level. */
    List<String> lines(Level level) {
        return events.stream().filter(e -> e instanceof LogLine l && l.level() == level)
                .map(Event::text).toList();
    }

    /** Every job whose lock script of {@code phase} ran also ran its unlock script afterwards. */
    List<String> lockedButNotUnlocked(String lockScript, String unlockScript) {
        List<String> open = new ArrayList<>();
        for (String run : scriptRuns()) {
            String[] p = run.split(" ");
            String target = p[0] + " " + p[1];
            if (p[2].equals(lockScript)) {
                open.add(target);
            } else if (p[2].equals(unlockScript)) {
                open.remove(target);
            }
        }
        return open;
    }
}
