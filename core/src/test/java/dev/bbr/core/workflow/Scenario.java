package dev.bbr.core.workflow;

import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.HostInfo;
import dev.bbr.core.discovery.ManifestInfo;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.errors.BbrError;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A two-instance deployment of fake VMs ({@code redis/0} and {@code web/0}, each with one job that
 * has every lock script, backup and restore), and the calls to run backup and restore against it.
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

    Scenario(Path artifacts) {
        this.artifacts = artifacts;
        this.redis0 = new FakeShell("redis-0", Map.of("redis", ALL_SCRIPTS), failing, commands);
        this.web0 = new FakeShell("web-0", Map.of("web", ALL_SCRIPTS), failing, commands);
    }

    RunResult backup() {
        BackupWorkflow workflow = new BackupWorkflow(new BackupOptions(false, false, 4, "1.0"), run());
        return workflow.backup(log -> access(), name -> destinationWrapper.apply(
                new LocalArtifactStore(artifacts, Clock.systemUTC()).createBackup(name)));
    }

    RunResult restore(Path backup) {
        RestoreWorkflow workflow = new RestoreWorkflow(new RestoreOptions(4, "1.0"), run());
        return workflow.restore("dep", () -> {
            try {
                return LocalArtifactStore.openBackup(backup);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, log -> access());
    }

    /** Events of the runs, for tests that assert on them. */
    final List<dev.bbr.core.event.Event> events = new CopyOnWriteArrayList<>();

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
                return List.of(new HostInfo("redis", "0", "r-0", true, redis0),
                        new HostInfo("web", "0", "w-0", true, web0));
            }

            @Override
            public ManifestInfo manifest() {
                return ManifestInfo.NONE;
            }

            @Override
            public boolean directorMode() {
                return false;
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
