package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.discovery.ManifestQuerier;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.event.ArtifactVerified;
import dev.bbr.core.event.Event;
import dev.bbr.core.event.Level;
import dev.bbr.core.event.ScriptFailed;
import dev.bbr.core.event.TransferStarted;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup workflow's steps, events and words, against the fake two-instance deployment. */
class BackupFlowTest {
    private static final String RUN_ID = "'[0-9a-f]{32}'";

    @TempDir
    Path tmp;

    private Scenario sequential() {
        Scenario scenario = new Scenario(tmp);
        scenario.backupOptions = new BackupOptions(false, false, 1, "1.0");
        return scenario;
    }

    private static List<String> summary(List<Event> events) {
        return events.stream().map(e -> e.type() + ": " + e.text()).toList();
    }

    @Test
    void aBackupEmitsEveryStepInBbrsOrder() {
        Scenario scenario = sequential();

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        assertThat(summary(scenario.typedEvents())).containsExactly(
                "phase_started: Running pre-backup-lock scripts...",
                "script_started: Locking redis on redis/r-0 for backup...",
                "script_finished: Finished locking redis on redis/r-0 for backup.",
                "script_started: Locking web on web/w-0 for backup...",
                "script_finished: Finished locking web on web/w-0 for backup.",
                "phase_finished: Finished running pre-backup-lock scripts.",
                "phase_started: Running backup scripts...",
                "script_started: Backing up redis on redis/r-0...",
                "script_finished: Finished backing up redis on redis/r-0.",
                "script_started: Backing up web on web/w-0...",
                "script_finished: Finished backing up web on web/w-0.",
                "phase_finished: Finished running backup scripts.",
                "phase_started: Running post-backup-unlock scripts...",
                "script_started: Unlocking redis on redis/r-0...",
                "script_finished: Finished unlocking redis on redis/r-0.",
                "script_started: Unlocking web on web/w-0...",
                "script_finished: Finished unlocking web on web/w-0.",
                "phase_finished: Finished running post-backup-unlock scripts.",
                "transfer_started: Copying backup -- 1.0K uncompressed -- for job redis on redis/r-0...",
                "artifact_verified: Finished validity checks -- for job redis on redis/r-0...",
                "transfer_started: Copying backup -- 1.0K uncompressed -- for job web on web/w-0...",
                "artifact_verified: Finished validity checks -- for job web on web/w-0...");
        assertThat(scenario.lines(Level.INFO)).containsSubsequence("Looking for scripts",
                "Running pre-checks for backup of dep...", "Starting backup of dep...",
                "Finished copying backup -- for job redis on redis/r-0...",
                "Starting validity checks -- for job redis on redis/r-0...");
        assertThat(scenario.lines(Level.INFO)).last().asString().startsWith("Backup created of dep on ");
    }

    @Test
    void transferAndVerifiedEventsNameTheArtifactItsBytesAndItsChecksums() throws Exception {
        Scenario scenario = sequential();

        RunResult result = scenario.backup();

        Path tar = Path.of(result.artifact()).resolve("redis-0-redis.tar");
        String fileSha = FakeShell.sha256(scenario.redis0.content("/var/vcap/store/bbr-backup/redis"));
        String setSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("./data " + fileSha + "\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(scenario.typedEvents()).filteredOn(e -> e instanceof TransferStarted).first()
                .isEqualTo(new TransferStarted("backup", "redis", "redis/r-0", "redis-0-redis.tar", 1024,
                        "Copying backup -- 1.0K uncompressed -- for job redis on redis/r-0..."));
        assertThat(scenario.typedEvents()).filteredOn(e -> e instanceof ArtifactVerified).first()
                .isEqualTo(new ArtifactVerified("backup", "redis", "redis/r-0", "redis-0-redis.tar", Files.size(tar),
                        1, setSha, "Finished validity checks -- for job redis on redis/r-0..."));
        assertThat(Files.readString(Path.of(result.artifact()).resolve("metadata"))).contains("./data: " + fileSha);
    }

    @Test
    void scriptsGetBbrsCommandsEnvironmentAndRunTag() {
        Scenario scenario = sequential();

        scenario.backup();

        List<String> commands = scenario.redis0.ownCommands;
        assertThat(commands).anySatisfy(c -> assertThat(c).matches("sudo -n timeout -k 10 0 env BBR_RUN_ID=" + RUN_ID
                + " '/var/vcap/jobs/redis/bin/bbr/pre-backup-lock'"));
        // the backup step is one sudo: mkdir, the stoppable script, then the artifact's size
        assertThat(commands).filteredOn(c -> c.contains("/bin/bbr/backup'")).singleElement().satisfies(c -> {
            assertThat(c).matches("(?s)sudo -n sh -c 'mkdir -p -- \"\\$1\" && timeout -k 10 0 env BBR_RUN_ID=\"\\$2\""
                    + " BBR_ARTIFACT_DIRECTORY=\"\\$1/\" ARTIFACT_DIRECTORY=\"\\$1/\" \"\\$3\" && \\{ printf .*"
                    + " sh '/var/vcap/store/bbr-backup/redis' " + RUN_ID + " '/var/vcap/jobs/redis/bin/bbr/backup'"
                    + " '\nbbr-artifact-size-[0-9a-f]{32} '");
        });
        assertThat(commands).contains("sudo -n env BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL='true'"
                + " '/var/vcap/jobs/redis/bin/bbr/post-backup-unlock'");
        assertThat(commands).anySatisfy(c -> assertThat(c).matches("sudo -n timeout -k 10 0 env BBR_RUN_ID=" + RUN_ID
                + " tar -C '/var/vcap/store/bbr-backup/redis' -cf - \\."));
        // discovery's session also looks for the artifact root; the drain needs no du of its own, and
        // the instance's only artifact, once verified, removes the whole root, so no cleanup rm follows
        assertThat(commands.get(0)).contains("find \"$d\"", "bbr-artifact-root-present");
        assertThat(commands).noneMatch(c -> c.startsWith("sudo -n stat") || c.startsWith("sudo -n du"));
        assertThat(commands).filteredOn(c -> c.contains("rm -rf")).containsExactly(
                "sudo -n rm -rf '/var/vcap/store/bbr-backup'");
    }

    @Test
    void aFailedBackupScriptIsAScriptFailedEventItsStderrAnErrorLineAndTheMarkerKeepsTheReport() throws Exception {
        Scenario scenario = sequential();
        scenario.failing.add("web/backup");

        RunResult result = scenario.backup();

        assertThat(result.report().exitCode()).isEqualTo(1);
        BbrError error = result.report().errors().get(0);
        assertThat(error.kind()).isEqualTo(ErrorKind.BACKUP);
        assertThat(error.message()).isEqualTo("Error attempting to run backup for job web on web/w-0:"
                + " web backup broke - exit code 1");
        assertThat(scenario.typedEvents()).filteredOn(e -> e instanceof ScriptFailed).singleElement()
                .satisfies(e -> {
                    ScriptFailed failed = (ScriptFailed) e;
                    assertThat(failed.text()).isEqualTo("Error backing up web on web/w-0.");
                    assertThat(failed.script()).isEqualTo("backup");
                    assertThat(failed.instance()).isEqualTo("web/w-0");
                    assertThat(failed.error()).isEqualTo(error.message());
                    assertThat(failed.level()).isEqualTo(Level.ERROR);
                });
        assertThat(scenario.lines(Level.ERROR)).containsExactly("stderr: web backup broke");
        assertThat(scenario.lines(Level.INFO)).contains("Failed to create backup of dep");
        assertThat(scenario.typedEvents()).noneMatch(e -> e instanceof TransferStarted);
        assertThat(Files.readString(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")))
                .contains("status: failed", "web backup broke - exit code 1");
    }

    @Test
    void everyInstancesFailureIsCollectedInDeploymentOrderAndAllJobsAreUnlocked() {
        Scenario scenario = new Scenario(tmp);
        scenario.failing.add("web/backup");
        scenario.failing.add("redis/backup");
        scenario.failing.add("web/post-backup-unlock");

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly(
                "Error attempting to run backup for job redis on redis/r-0: redis backup broke - exit code 1",
                "Error attempting to run backup for job web on web/w-0: web backup broke - exit code 1",
                "Error attempting to run post-backup-unlock for job web on web/w-0: web post-backup-unlock broke"
                        + " - exit code 1");
        assertThat(result.report().exitCode()).isEqualTo(9);
        assertThat(scenario.scriptRuns()).contains("redis-0 redis post-backup-unlock (false)",
                "web-0 web post-backup-unlock (false)");
    }

    @Test
    void aLostConnectionDuringALockScriptAsksWhetherTheNetworkFailed() {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.loseConnectionOn("/bin/bbr/pre-backup-lock'", "ssh session ended before returning an exit"
                + " code");

        RunResult result = scenario.backup();

        assertThat(result.report().exitCode()).isEqualTo(4);
        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Error attempting to run"
                + " pre-backup-lock for job redis on redis/r-0: ssh session ended before returning an exit code");
        assertThat(scenario.lines(Level.ERROR)).contains("Did the network just fail? It looks like my ssh session to"
                + " redis-0:22 ended suddenly without getting an exit status from the remote VM.");
        assertThat(scenario.scriptRuns()).noneMatch(r -> r.endsWith(" backup"));
        assertThat(scenario.lockedButNotUnlocked("pre-backup-lock", "post-backup-unlock")).isEmpty();
    }

    @Test
    void lockLevelsFollowTheMetadataAndUnlockRunsThemInReverse() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.manifest = releases();
        scenario.redisJobs.get("redis").add("metadata");
        scenario.redis0.metadata("redis", "backup_should_be_locked_before:\n- job_name: web\n  release: web-rel\n");

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        assertThat(scenario.scriptRuns()).filteredOn(r -> r.contains("lock")).containsExactly(
                "redis-0 redis pre-backup-lock", "web-0 web pre-backup-lock",
                "web-0 web post-backup-unlock (true)", "redis-0 redis post-backup-unlock (true)");
        assertThat(scenario.lines(Level.INFO)).contains("Detected order: redis should be locked before web-rel/web"
                + " during backup");
    }

    @Test
    void aConstraintNamingAnotherReleaseDoesNotOrderButDirectorModeMatchesByJobNameOnly() throws Exception {
        String metadata = "backup_should_be_locked_before:\n- job_name: redis\n  release: other-release\n";
        Scenario deploymentMode = new Scenario(Files.createDirectories(tmp.resolve("deployment")));
        deploymentMode.manifest = releases();
        deploymentMode.webJobs.get("web").add("metadata");
        deploymentMode.web0.metadata("web", metadata);
        deploymentMode.backupOptions = new BackupOptions(false, false, 1, "1.0");
        Scenario directorMode = new Scenario(Files.createDirectories(tmp.resolve("director")));
        directorMode.directorMode = true;
        directorMode.webJobs.get("web").add("metadata");
        directorMode.web0.metadata("web", metadata);
        directorMode.backupOptions = new BackupOptions(false, false, 1, "1.0");

        deploymentMode.backup();
        directorMode.backup();

        assertThat(deploymentMode.scriptRuns()).filteredOn(r -> r.contains("pre-backup-lock"))
                .containsExactly("redis-0 redis pre-backup-lock", "web-0 web pre-backup-lock");
        assertThat(directorMode.scriptRuns()).filteredOn(r -> r.contains("pre-backup-lock"))
                .containsExactly("web-0 web pre-backup-lock", "redis-0 redis pre-backup-lock");
        assertThat(directorMode.lines(Level.INFO)).contains("Detected order: web should be locked before redis during"
                + " backup");
    }

    @Test
    void unsafeLockFreeRunsNeitherLockNorUnlockScripts() {
        Scenario scenario = new Scenario(tmp);
        scenario.backupOptions = new BackupOptions(false, true, 4, "1.0");

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        assertThat(scenario.scriptRuns()).containsExactlyInAnyOrder("redis-0 redis backup", "web-0 web backup");
        assertThat(scenario.lines(Level.INFO)).containsSubsequence("Skipping lock for deployment",
                "Skipping unlock after successful backup for deployment");
        assertThat(scenario.typedEvents()).noneMatch(e -> e.type().equals("phase_started")
                && e.text().contains("lock"));
        assertThat(Path.of(result.artifact()).resolve("redis-0-redis.tar")).isRegularFile();
    }

    @Test
    void unsafeLockFreeSaysSoWhenTheBackupFailed() {
        Scenario scenario = new Scenario(tmp);
        scenario.backupOptions = new BackupOptions(false, true, 4, "1.0");
        scenario.failing.add("redis/backup");

        RunResult result = scenario.backup();

        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(scenario.lines(Level.INFO)).contains("Skipping unlock after unsuccessful backup for deployment");
        assertThat(scenario.scriptRuns()).noneMatch(r -> r.contains("lock"));
    }

    @Test
    void withManifestSavesTheDeploymentManifestBesideTheArtifacts() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.backupOptions = new BackupOptions(true, false, 4, "1.0");

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        assertThat(Files.readString(Path.of(result.artifact()).resolve("manifest.yml"))).isEqualTo("name: dep\n");
        assertThat(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")).doesNotExist();
    }

    @Test
    void withoutTheFlagNoManifestIsWritten() {
        RunResult result = new Scenario(tmp).backup();

        assertThat(Path.of(result.artifact()).resolve("manifest.yml")).doesNotExist();
    }

    static ManifestQuerier releases() throws DiscoveryException {
        return ManifestQuerier.parse("dep", """
                instance_groups:
                - name: redis
                  jobs:
                  - name: redis
                    release: redis-rel
                - name: web
                  jobs:
                  - name: web
                    release: web-rel
                """);
    }
}
