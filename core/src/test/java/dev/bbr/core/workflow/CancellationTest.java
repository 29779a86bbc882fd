package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.errors.BbrError;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 items 1 and 3: a cancelled run stops what runs remotely, then unlocks and cleans up. */
@Timeout(60)
class CancellationTest {
    @TempDir
    Path tmp;

    @Test
    void cancellingDuringARestoreScriptStopsItThenUnlocksAndCleansUp() throws Exception {
        Scenario scenario = new Scenario(Files.createTempDirectory(tmp, "c"));
        Path backup = Path.of(scenario.backup().artifact());
        scenario.commands.clear();
        scenario.web0.blockUntilStopped("/bin/bbr/restore'");

        CompletableFuture<RunResult> restore = CompletableFuture.supplyAsync(() -> scenario.restore(backup));
        awaitRun(scenario, "web-0 web restore");
        long t0 = System.nanoTime();
        scenario.cancellation.cancel();
        RunResult result = restore.get(20, TimeUnit.SECONDS);

        assertThat((System.nanoTime() - t0) / 1e9).as("seconds from cancel to the end of the run").isLessThan(5);
        assertThat(result.cancelled()).isTrue();
        assertThat(scenario.web0.controlCommands).singleElement().satisfies(c -> assertThat(c)
                .startsWith("sudo -n pkill -TERM -f 'BBR_RUN_ID=["));
        assertThat(scenario.redis0.controlCommands).hasSize(1);
        assertThat(scenario.lockedButNotUnlocked("pre-restore-lock", "post-restore-unlock")).isEmpty();
        assertThat(result.report().errors()).extracting(BbrError::message).anySatisfy(m -> assertThat(m)
                .startsWith("Error attempting to run restore for job web on web/w-0: stopped because the run was"
                        + " cancelled"));
        assertThat(scenario.web0.store).isEmpty();
        assertThat(scenario.cleanups).contains("ssh cleanup");
    }

    @Test
    void cancellingDuringABackupScriptUnlocksWithFalseAndMarksTheBackupIncomplete() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.blockUntilStopped("/bin/bbr/backup'");

        CompletableFuture<RunResult> backup = CompletableFuture.supplyAsync(scenario::backup);
        awaitRun(scenario, "redis-0 redis backup");
        scenario.cancellation.cancel();
        RunResult result = backup.get(20, TimeUnit.SECONDS);

        assertThat(result.cancelled()).isTrue();
        assertThat(scenario.scriptRuns()).contains("redis-0 redis post-backup-unlock (false)",
                "web-0 web post-backup-unlock (false)");
        assertThat(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")).exists();
        assertThat(Files.readString(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")))
                .contains("cancelled by the operator");
        assertThat(scenario.redis0.store).isEmpty();
    }

    @Test
    void unlockScriptsAreNeverTaggedSoAStopCannotReachThem() {
        Scenario scenario = new Scenario(tmp);
        scenario.backup();
        assertThat(scenario.redis0.ownCommands).filteredOn(c -> c.contains("post-backup-unlock"))
                .allSatisfy(c -> assertThat(c).doesNotContain("BBR_RUN_ID"));
        assertThat(scenario.redis0.ownCommands).filteredOn(c -> c.contains("pre-backup-lock")
                || c.contains("/bin/bbr/backup'") || c.contains(" -cf - ."))
                .hasSize(3).allSatisfy(c -> assertThat(c).contains("timeout -k 10 0 env BBR_RUN_ID="));
    }

    @Test
    void cancellingDuringALockScriptSkipsBackupAndDrainButUnlocksEveryJobWithFalse() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.blockUntilStopped("/bin/bbr/pre-backup-lock'");

        CompletableFuture<RunResult> backup = CompletableFuture.supplyAsync(scenario::backup);
        awaitRun(scenario, "redis-0 redis pre-backup-lock");
        scenario.cancellation.cancel();
        RunResult result = backup.get(20, TimeUnit.SECONDS);

        assertThat(result.cancelled()).isTrue();
        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Error attempting to run"
                + " pre-backup-lock for job redis on redis/r-0: stopped because the run was cancelled (Terminated -"
                + " exit code 143)");
        assertThat(result.report().exitCode()).isEqualTo(4);
        assertThat(scenario.scriptRuns()).noneMatch(r -> r.endsWith(" backup"));
        assertThat(scenario.scriptRuns()).contains("redis-0 redis post-backup-unlock (false)",
                "web-0 web post-backup-unlock (false)");
        assertThat(scenario.redis0.controlCommands).hasSize(1);
        assertThat(scenario.web0.controlCommands).hasSize(1);
        assertThat(scenario.typedEvents()).noneMatch(e -> e.type().equals("transfer_started"));
        assertThat(Files.readString(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")))
                .contains("cancelled by the operator");
        assertThat(scenario.commands).as("no backup script ran, so nothing remote to remove")
                .noneMatch(c -> c.contains(" rm "));
    }

    @Test
    void aRunCancelledBeforeItStartsNeverTouchesTheInstances() throws Exception {
        Scenario scenario = new Scenario(tmp);
        Path backup = Path.of(scenario.backup().artifact());
        scenario.commands.clear();
        scenario.cleanups.clear();
        scenario.cancellation.cancel();

        RunResult result = scenario.restore(backup);

        assertThat(result.cancelled()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.report().errors()).isEmpty();
        assertThat(scenario.commands).isEmpty();
        assertThat(scenario.cleanups).as("access was never opened").isEmpty();
    }

    /** See DeploymentDiscoveryTest#discoveryInACancelledRunDoesNotFailWithANullPointer. */
    @Test
    void aBackupCancelledDuringDiscoveryEndsCancelledWithoutAnUnexpectedError() {
        Scenario scenario = new Scenario(tmp);
        scenario.cancellation.cancel();

        RunResult result = scenario.backup();

        assertThat(result.cancelled()).isTrue();
        assertThat(result.report().errors()).extracting(BbrError::message)
                .noneMatch(m -> m.startsWith("unexpected error"));
        assertThat(scenario.commands).isEmpty();
        assertThat(scenario.cleanups).containsExactly("ssh cleanup");
    }

    private static void awaitRun(Scenario scenario, String run) {
        Awaitility.await("run of " + run).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> scenario.commands.contains(run));
    }
}
