package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.HostInfo;
import dev.bbr.core.discovery.ManifestInfo;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupWorkflowTest {
    @TempDir
    Path artifacts;

    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> cleanups = new ArrayList<>();
    private final Set<String> failing = new java.util.HashSet<>();
    private final FakeShell redis0 = shell("redis-0", Map.of("redis", Set.of("backup", "pre-backup-lock",
            "post-backup-unlock")));
    private final FakeShell web0 = shell("web-0", Map.of("web", Set.of("backup", "pre-backup-lock",
            "post-backup-unlock")));

    private FakeShell shell(String name, Map<String, Set<String>> scripts) {
        return new FakeShell(name, scripts, failing, commands);
    }

    private RunResult backup() {
        BackupWorkflow workflow = new BackupWorkflow(new BackupOptions(false, false, 4, "1.0"), new RunContext(
                RunContext.newRunId(), Log.NONE, new Cancellation(), new LogProgressReporter(Log.NONE),
                Clock.systemUTC(), Workers.shared()));
        return workflow.backup(log -> access(), name -> new LocalArtifactStore(artifacts, Clock.systemUTC())
                .createBackup(name));
    }

    private DeploymentAccess access() {
        return new DeploymentAccess() {
            @Override
            public String name() {
                return "dep";
            }

            @Override
            public List<HostInfo> hosts() {
                return List.of(new HostInfo("redis", "0", "r-0", true, redis0), new HostInfo("web", "0", "w-0", true,
                        web0));
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
                return List.of();
            }
        };
    }

    @Test
    void successfulBackupLocksBacksUpUnlocksDrainsAndCleansUp() throws Exception {
        RunResult result = backup();
        assertThat(result.report().errors()).isEmpty();
        assertThat(result.report().exitCode()).isZero();
        assertThat(commands).filteredOn(c -> c.contains("unlock")).allMatch(c -> c.endsWith("(true)"));
        assertThat(indexOf("pre-backup-lock")).isLessThan(indexOf(" backup")).isLessThan(indexOf("post-backup-unlock"));
        assertThat(Path.of(result.artifact())).isDirectory();
        assertThat(Path.of(result.artifact()).resolve("redis-0-redis.tar")).isRegularFile();
        assertThat(Path.of(result.artifact()).resolve("web-0-web.tar")).isRegularFile();
        assertThat(Files.readString(Path.of(result.artifact()).resolve("metadata"))).contains("- name: redis", "./data:",
                "finish_time:");
        assertThat(commands).contains("redis-0 rm '/var/vcap/store/bbr-backup'", "web-0 rm '/var/vcap/store/bbr-backup'");
        assertThat(cleanups).containsExactly("ssh cleanup");
    }

    @Test
    void lockFailureSkipsBackupButStillUnlocksEverythingWithFalse() {
        failing.add("redis/pre-backup-lock");
        RunResult result = backup();
        assertThat(result.report().exitCode()).isEqualTo(4);
        assertThat(result.report().errors()).singleElement().satisfies(e -> assertThat(e.message())
                .isEqualTo("Error attempting to run pre-backup-lock for job redis on redis/r-0: redis pre-backup-lock"
                        + " broke - exit code 1"));
        assertThat(commands).noneMatch(c -> c.endsWith(" backup"));
        assertThat(commands).contains("redis-0 redis post-backup-unlock (false)", "web-0 web post-backup-unlock (false)");
        assertThat(cleanups).containsExactly("ssh cleanup");
        assertThat(result.report().advisesBackupCleanup()).isFalse();
    }

    @Test
    void backupAndUnlockFailuresCombineIntoNine() {
        failing.add("web/backup");
        failing.add("redis/post-backup-unlock");
        RunResult result = backup();
        assertThat(result.report().exitCode()).isEqualTo(9);
        assertThat(result.report().advisesBackupCleanup()).isTrue();
        assertThat(commands).contains("redis-0 redis post-backup-unlock (false)");
        // nothing was drained, and the backup directory is marked incomplete
        assertThat(Path.of(result.artifact()).resolve("redis-0-redis.tar")).doesNotExist();
        assertThat(commands).contains("redis-0 rm '/var/vcap/store/bbr-backup'");
    }

    @Test
    void existingRemoteArtifactDirectoryFailsThePrecheckAndTouchesNothing() {
        web0.artifactRootExists = true;
        RunResult result = backup();
        assertThat(result.report().errors()).singleElement().satisfies(e -> assertThat(e.message())
                .isEqualTo("Directory /var/vcap/store/bbr-backup already exists on instance web/w-0"));
        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(result.report().advisesBackupCleanup()).isTrue();
        assertThat(result.artifact()).isNull();
        assertThat(commands).isEmpty();
        assertThat(cleanups).containsExactly("ssh cleanup");
    }

    private int indexOf(String fragment) {
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }
}
