package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.errors.BbrError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreWorkflowTest {
    @TempDir
    Path tmp;

    private Scenario backedUp() {
        Scenario scenario = new Scenario(tmp);
        RunResult backup = scenario.backup();
        assertThat(backup.report().errors()).isEmpty();
        scenario.commands.clear();
        scenario.cleanups.clear();
        return scenario;
    }

    @Test
    void restoreUploadsEveryArtifactThenLocksRestoresAndUnlocks() {
        Scenario scenario = backedUp();
        Path backup = onlyBackup(scenario);

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).isEmpty();
        List<String> runs = scenario.scriptRuns();
        assertThat(runs).containsSubsequence("redis-0 redis pre-restore-lock", "redis-0 redis restore",
                "redis-0 redis post-restore-unlock");
        assertThat(scenario.commands).contains("redis-0 upload /var/vcap/store/bbr-backup/redis",
                "web-0 upload /var/vcap/store/bbr-backup/web");
        assertThat(scenario.commands.indexOf("redis-0 upload /var/vcap/store/bbr-backup/redis"))
                .isLessThan(scenario.commands.indexOf("redis-0 redis pre-restore-lock"));
        assertThat(scenario.redis0.store).as("remote artifacts removed after the restore").isEmpty();
        assertThat(scenario.cleanups).containsExactly("ssh cleanup");
    }

    /**
     * Issue 17, deterministically: the fake instance's tar -x stops at the end-of-archive blocks and
     * exits, as GNU tar may, leaving the local padding unread. Before the fix, asking the hashing
     * stream for its checksums then threw "read the stream to the end first" out of the executor.
     */
    @Test
    void anInstanceThatStopsReadingAtTheEndOfArchiveBlocksStillRestores() throws IOException {
        Scenario scenario = backedUp();
        Path backup = onlyBackup(scenario);
        long tarSize = java.nio.file.Files.size(backup.resolve("redis-0-redis.tar"));

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).isEmpty();
        assertThat(scenario.redis0.lastUploadBytesRead).as("the instance left the padding unread")
                .isLessThan(tarSize);
    }

    @Test
    void anInstanceThatStopsReadingBeforeTheEndOfTheArchiveFailsTheUploadAndUnlocksNothingItDidNotLock() {
        Scenario scenario = backedUp();
        Path backup = onlyBackup(scenario);
        // a remote "tar" that reads one block and exits 0: the archive was never sent whole
        scenario.redis0.uploadReadsAtMost = 512;

        RunResult result = scenario.restore(backup);

        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly(
                "Unable to send backup to remote machine. Got error: the receiving side stopped reading after"
                        + " 512 bytes, before the end of the archive");
        assertThat(scenario.scriptRuns()).noneMatch(r -> r.contains("restore"));
        assertThat(scenario.redis0.store).isEmpty();
    }

    @Test
    void aFailingRestoreScriptStillUnlocksEveryJob() {
        Scenario scenario = backedUp();
        scenario.failing.add("web/restore");

        RunResult result = scenario.restore(onlyBackup(scenario));

        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(scenario.scriptRuns()).contains("redis-0 redis post-restore-unlock",
                "web-0 web post-restore-unlock");
        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly(
                "Error attempting to run restore for job web on web/w-0: web restore broke - exit code 1");
    }

    @Test
    void aFailingLockSkipsTheRestoreButUnlocks() {
        Scenario scenario = backedUp();
        scenario.failing.add("redis/pre-restore-lock");

        RunResult result = scenario.restore(onlyBackup(scenario));

        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly(
                "pre-restore-lock failed: Error attempting to run pre-restore-lock for job redis on redis/r-0:"
                        + " redis pre-restore-lock broke - exit code 1");
        assertThat(scenario.scriptRuns()).noneMatch(r -> r.endsWith(" restore"));
        assertThat(scenario.lockedButNotUnlocked("pre-restore-lock", "post-restore-unlock")).isEmpty();
    }

    private static Path onlyBackup(Scenario scenario) {
        try (var dirs = java.nio.file.Files.list(scenario.artifacts)) {
            return dirs.filter(java.nio.file.Files::isDirectory).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
