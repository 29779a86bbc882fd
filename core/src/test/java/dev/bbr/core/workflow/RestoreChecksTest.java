package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.discovery.HostInfo;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.event.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What restore checks before it changes anything, and how each upload failure reads. */
class RestoreChecksTest {
    @TempDir
    Path tmp;

    /** A good backup of the scenario's deployment; the scenario's logs are cleared for the restore. */
    private static Path backedUp(Scenario scenario) {
        RunResult backup = scenario.backup();
        assertThat(backup.report().errors()).isEmpty();
        scenario.commands.clear();
        scenario.cleanups.clear();
        scenario.events.clear();
        return Path.of(backup.artifact());
    }

    @Test
    void aRestoreEmitsUploadsThenLockRestoreUnlockInBbrsWords() {
        Scenario scenario = new Scenario(tmp);
        scenario.restoreOptions = new RestoreOptions(1, "1.0");
        Path backup = backedUp(scenario);

        RunResult result = scenario.restore(backup);

        assertThat(result.succeeded()).isTrue();
        assertThat(scenario.typedEvents()).extracting(e -> e.type() + ": " + e.text()).containsExactly(
                "transfer_started: Copying backup -- 12K uncompressed -- for job redis on redis/0...",
                "artifact_verified: Finished copying backup for job redis on redis/0.",
                "transfer_started: Copying backup -- 12K uncompressed -- for job web on web/0...",
                "artifact_verified: Finished copying backup for job web on web/0.",
                "phase_started: Running pre-restore-lock scripts...",
                "script_started: Locking redis on redis/r-0 for restore...",
                "script_finished: Finished locking redis on redis/r-0 for restore.",
                "script_started: Locking web on web/w-0 for restore...",
                "script_finished: Finished locking web on web/w-0 for restore.",
                "phase_finished: Finished running pre-restore-lock scripts.",
                "phase_started: Running restore scripts...",
                "script_started: Restoring redis on redis/r-0...",
                "script_finished: Finished restoring redis on redis/r-0.",
                "script_started: Restoring web on web/w-0...",
                "script_finished: Finished restoring web on web/w-0.",
                "phase_finished: Finished running restore scripts.",
                "phase_started: Running post-restore-unlock scripts...",
                "script_started: Unlocking redis on redis/r-0...",
                "script_finished: Finished unlocking redis on redis/r-0.",
                "script_started: Unlocking web on web/w-0...",
                "script_finished: Finished unlocking web on web/w-0.",
                "phase_finished: Finished running post-restore-unlock scripts.");
        assertThat(scenario.lines(Level.INFO)).containsSubsequence("Starting restore of dep...",
                "Validating backup artifact for dep...", "Looking for scripts", "Completed restore of dep");
    }

    @Test
    void restoreScriptsFindTheirArtifactAndAreStoppableWhileUnlockIsNot() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.redis0.ownCommands.clear();

        scenario.restore(backup);

        assertThat(scenario.redis0.ownCommands).contains(
                "sudo -n mkdir -p '/var/vcap/store/bbr-backup/redis'",
                "sudo -n '/var/vcap/jobs/redis/bin/bbr/post-restore-unlock'");
        assertThat(scenario.redis0.ownCommands).filteredOn(c -> c.endsWith("/bin/bbr/restore'")).singleElement()
                .satisfies(c -> assertThat(c).startsWith("sudo -n timeout -k 10 0 env BBR_RUN_ID=")
                        .contains(" BBR_ARTIFACT_DIRECTORY='/var/vcap/store/bbr-backup/redis/'",
                                " ARTIFACT_DIRECTORY='/var/vcap/store/bbr-backup/redis/'"));
        assertThat(scenario.redis0.ownCommands).anySatisfy(c -> assertThat(c).matches(
                "sudo -n timeout -k 10 0 env BBR_RUN_ID='[0-9a-f]{32}' tar -C '/var/vcap/store/bbr-backup/redis' -xf -"));
        assertThat(scenario.redis0.ownCommands).last().isEqualTo("sudo -n rm -rf '/var/vcap/store/bbr-backup'");
    }

    @Test
    void aDeploymentLackingAnInstanceOfTheBackupDoesNotMatchItsStructure() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.hosts.removeIf(h -> h.group().equals("web"));

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Deployment 'dep' does"
                + " not match the structure of the provided backup: instance web/0 is not in the deployment");
        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(scenario.commands).isEmpty();
        assertThat(scenario.cleanups).containsExactly("ssh cleanup");
    }

    @Test
    void anInstanceWithAnotherIndexDoesNotMatchEither() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.hosts.removeIf(h -> h.group().equals("web"));
        scenario.hosts.add(new HostInfo("web", "1", "w-1", true, scenario.web0));

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Deployment 'dep' does"
                + " not match the structure of the provided backup: instance web/0 is not in the deployment");
    }

    @Test
    void aJobWithoutAnArtifactInTheBackupFailsItsUploadAndNothingIsLocked() {
        Scenario scenario = new Scenario(tmp);
        scenario.webJobs.get("web").remove("backup");
        Path backup = backedUp(scenario);

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::kind, BbrError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ErrorKind.RESTORE, "Unable to send backup to remote machine."
                        + " Got error: the backup has no artifact web-0-web.tar for job web on web/w-0"));
        assertThat(scenario.commands).contains("redis-0 upload /var/vcap/store/bbr-backup/redis",
                "redis-0 rm '/var/vcap/store/bbr-backup'");
        assertThat(scenario.commands).noneMatch(c -> c.startsWith("web-0"));
        assertThat(scenario.scriptRuns()).isEmpty();
    }

    @Test
    void aDeploymentWithoutRestoreScriptsCannotBeRestored() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.redisJobs.get("redis").remove("restore");
        scenario.webJobs.get("web").remove("restore");

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message)
                .containsExactly("Deployment 'dep' has no restore scripts");
        assertThat(scenario.commands).isEmpty();
    }

    @Test
    void aDiscontinuedRestoreNameRefusesTheRestoreWithAnErrorLine() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.redisJobs.get("redis").add("metadata");
        scenario.redis0.metadata("redis", "restore_name: legacy-artifact\n");

        RunResult result = scenario.restore(backup);

        String message = "discontinued metadata keys backup_name/restore_name found on instance redis. bbr cannot"
                + " restore this backup artifact.";
        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly(message);
        assertThat(scenario.lines(Level.ERROR)).containsExactly(message);
        assertThat(scenario.commands).containsExactly("redis-0 redis metadata");
    }

    @Test
    void anExistingArtifactDirectoryRefusesTheRestoreAndIsLeftAlone() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.redis0.artifactRootExists = true;

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::kind, BbrError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ErrorKind.ARTIFACT_DIR, "Check artifact dir failed: Directory"
                        + " /var/vcap/store/bbr-backup already exists on instance redis/r-0"));
        assertThat(scenario.commands).as("no upload, no script, no removal").isEmpty();
    }

    @Test
    void aBackupThatFailsValidationIsRefusedBeforeTheDeploymentIsTouched() throws Exception {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        Path tar = backup.resolve("redis-0-redis.tar");
        byte[] bytes = Files.readAllBytes(tar);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int data = text.indexOf("data of redis-0");
        bytes[data] = 'D';
        Files.write(tar, bytes);

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Backup is corrupted,"
                + " checksum failed for redis/0 redis - checksums don't match for [./data]. Checksum failed for 1"
                + " files in total");
        assertThat(scenario.cleanups).as("access never opened").isEmpty();
        assertThat(scenario.redis0.ownCommands).noneMatch(c -> c.contains("-xf -"));
        assertThat(scenario.lines(Level.INFO)).doesNotContain("Looking for scripts");
    }

    @Test
    void aMissingTarIsReportedByTheOfflineValidation() throws Exception {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        Files.delete(backup.resolve("web-0-web.tar"));

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Could not validate"
                + " backup: Error calculating checksum for artifact: open " + backup.resolve("web-0-web.tar")
                + ": no such file or directory");
        assertThat(scenario.cleanups).isEmpty();
    }

    @Test
    void anIncompleteBackupIsNeverRestored() throws Exception {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        Files.writeString(backup.resolve("BACKUP-INCOMPLETE"), "This backup is incomplete and must not be"
                + " restored.\nstatus: failed\ntime: 2024-01-01T00:00:00Z\nreason: the drain failed\n");

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Backup is incomplete and"
                + " must not be restored (failed: the drain failed)");
        assertThat(scenario.cleanups).isEmpty();
    }

    @Test
    void remoteChecksumsThatDifferAfterTheUploadAreBbrsTransferError() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.web0.checksumsLie = true;

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::kind, BbrError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ErrorKind.RESTORE, "Backup couldn't be transferred, checksum"
                        + " failed for web/w-0 web - checksums don't match for [./data]. Checksum failed for 1 files"
                        + " in total"));
        assertThat(scenario.scriptRuns()).isEmpty();
        assertThat(scenario.commands).contains("redis-0 rm '/var/vcap/store/bbr-backup'",
                "web-0 rm '/var/vcap/store/bbr-backup'");
    }

    @Test
    void aRemoteDirectoryThatCannotBeCreatedFailsTheUpload() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.redis0.failOn("mkdir -p", 1, "mkdir: cannot create directory: Read-only file system");

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Creating backup directory"
                + " on the remote failed: mkdir: cannot create directory: Read-only file system - exit code 1");
        assertThat(scenario.scriptRuns()).isEmpty();
    }

    @Test
    void aRemoteTarThatFailsFailsTheUpload() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.web0.failOn("-xf -", 2, "tar: Unexpected EOF in archive");

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Unable to send backup to"
                + " remote machine. Got error: tar: Unexpected EOF in archive - exit code 2");
        assertThat(result.report().exitCode()).isEqualTo(1);
    }

    @Test
    void everyUploadFailureIsCollected() {
        Scenario scenario = new Scenario(tmp);
        Path backup = backedUp(scenario);
        scenario.web0.failOn("-xf -", 2, "tar: web broke");
        scenario.redis0.failOn("-xf -", 2, "tar: redis broke");

        RunResult result = scenario.restore(backup);

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly(
                "Unable to send backup to remote machine. Got error: tar: redis broke - exit code 2",
                "Unable to send backup to remote machine. Got error: tar: web broke - exit code 2");
    }

    @Test
    void restoreLocksInTheRestoreOrderAndUnlocksInReverse() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.manifest = BackupFlowTest.releases();
        Path backup = backedUp(scenario);
        scenario.webJobs.get("web").add("metadata");
        scenario.web0.metadata("web", "restore_should_be_locked_before:\n- job_name: redis\n  release: redis-rel\n");

        RunResult result = scenario.restore(backup);

        assertThat(result.succeeded()).isTrue();
        List<String> locks = scenario.scriptRuns().stream().filter(r -> r.contains("lock")).toList();
        assertThat(locks).containsExactly("web-0 web pre-restore-lock", "redis-0 redis pre-restore-lock",
                "redis-0 redis post-restore-unlock", "web-0 web post-restore-unlock");
    }
}
