package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.BackupE2eSupport.ADVICE;
import static dev.bbr.cli.e2e.BackupE2eSupport.DEP;
import static dev.bbr.cli.e2e.BackupE2eSupport.LOG_LINE;
import static dev.bbr.cli.e2e.BackupE2eSupport.acceptedBoshLogins;
import static dev.bbr.cli.e2e.BackupE2eSupport.backup;
import static dev.bbr.cli.e2e.BackupE2eSupport.calls;
import static dev.bbr.cli.e2e.BackupE2eSupport.exec;
import static dev.bbr.cli.e2e.BackupE2eSupport.failScript;
import static dev.bbr.cli.e2e.BackupE2eSupport.jobParams;
import static dev.bbr.cli.e2e.BackupE2eSupport.fileNames;
import static dev.bbr.cli.e2e.BackupE2eSupport.hostChecksums;
import static dev.bbr.cli.e2e.BackupE2eSupport.lockEvents;
import static dev.bbr.cli.e2e.BackupE2eSupport.metadata;
import static dev.bbr.cli.e2e.BackupE2eSupport.metadataChecksums;
import static dev.bbr.cli.e2e.BackupE2eSupport.onlyBackupDir;
import static dev.bbr.cli.e2e.BackupE2eSupport.readTar;
import static dev.bbr.cli.e2e.BackupE2eSupport.remoteArtifactRootExists;
import static dev.bbr.cli.e2e.BackupE2eSupport.sshdLogSizes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.cli.e2e.BackupE2eSupport.Call;
import dev.bbr.cli.e2e.BackupE2eSupport.LockEvent;
import dev.bbr.cli.e2e.BackupE2eSupport.TarContents;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.LabRequest;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bbr deployment backup} against the lab, in-process: the happy path checked independently
 * (tars read here, checksums recomputed from the instances' files), lock order, one SSH connection per
 * instance, and what is left on the instances and the Director afterwards.
 */
class BackupDeploymentE2ETest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource(BackupE2eSupport.LAB_FILE);

    @TempDir
    Path artifacts;

    private Lab l;
    private LabInstance db0;
    private LabInstance db1;
    private LabInstance web0;

    @BeforeEach
    void reset() {
        l = lab.get();
        BackupE2eSupport.reset(l);
        db0 = l.instance(DEP, "database", 0);
        db1 = l.instance(DEP, "database", 1);
        web0 = l.instance(DEP, "web", 0);
    }

    @Test
    void happyPathBacksUpEveryJobVerifiablyAndLeavesNothingBehind() throws Exception {
        // awkward names, including a newline, next to the data job's spaces and quote
        exec(db0, "printf 'two\\nlines\\n' > $'/var/vcap/store/data/extra new\\nline \"dq\" \\'sq\\'.txt'");
        List<LabInstance> vms = l.instances(DEP);
        Map<String, Integer> sshdBefore = sshdLogSizes(vms);

        CliRun run = backup(l, DEP, artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines().filter(s -> !s.isBlank()).toList()).allMatch(s -> s.matches(LOG_LINE));
        assertThat(run.out()).contains("INFO - Running pre-checks for backup of lab-deployment...",
                "INFO - Starting backup of lab-deployment...",
                "INFO - Copying backup -- ", "uncompressed -- for job data on database/" + db0.id() + "...",
                "INFO - Backup created of lab-deployment on ");

        // the directory: name, mode, exactly the expected files, no marker, no temp files
        Path dir = onlyBackupDir(artifacts, DEP);
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        String custom = "backup-one-restore-all-lab-release-backup-one-restore-all.tar";
        // bbr's files byte for byte, plus our sidecar (written last; Go bbr ignores it)
        assertThat(fileNames(dir)).containsExactlyInAnyOrder("metadata", "bbr-sidecar.json", custom,
                "database-0-data.tar", "database-0-lock-recorder.tar", "database-0-ordered-a.tar",
                "database-1-data.tar", "database-1-lock-recorder.tar", "database-1-ordered-a.tar",
                "database-1-backup-one-restore-all.tar",
                "web-0-ordered-b.tar", "web-0-lock-recorder.tar", "web-0-failing.tar", "web-0-slow.tar");
        for (String f : fileNames(dir)) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(f))).as(f)
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }

        // metadata checksums == checksums recomputed from the tars, for every artifact, and nothing else listed
        Map<String, Object> metadata = metadata(dir);
        Map<String, Map<String, String>> recorded = metadataChecksums(metadata);
        Map<String, TarContents> tars = new TreeMap<>();
        for (String f : fileNames(dir)) {
            if (f.endsWith(".tar")) {
                tars.put(f.substring(0, f.length() - 4), readTar(dir.resolve(f)));
            }
        }
        assertThat(recorded.keySet()).isEqualTo(tars.keySet());
        tars.forEach((name, tar) -> assertThat(recorded.get(name)).as("checksums of " + name).isEqualTo(tar.sha256()));
        @SuppressWarnings("unchecked")
        Map<String, Object> activity = (Map<String, Object>) metadata.get("backup_activity");
        assertThat(activity).containsKeys("start_time", "finish_time");
        assertThat((String) activity.get("finish_time")).matches("\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} \\S+");

        // the data tars hold exactly the instances' files (hashed on the host, not via bbr), odd names included
        for (LabInstance vm : List.of(db0, db1)) {
            Map<String, String> source = hostChecksums(vm.varVcap().resolve("store/data"), p -> true);
            Map<String, String> inTar = new TreeMap<>();
            String prefix = "./data/";
            tars.get("database-" + vm.index() + "-data").sha256().forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    inTar.put("./" + k.substring(prefix.length()), v);
                }
            });
            assertThat(inTar).as("data of " + vm.name()).isEqualTo(source);
            assertThat(source).containsKeys("./nested/dir one/file with spaces.bin", "./it's quoted.txt",
                    "./nested/dir one/deeper/empty file", "./top.txt");
        }
        String newline = "./data/extra new\nline \"dq\" 'sq'.txt";
        assertThat(recorded.get("database-0-data")).containsKey(newline);
        assertThat(tars.get("database-0-data").text(newline)).isEqualTo("two\nlines\n");
        assertThat(Files.readString(dir.resolve("metadata"))).contains("extra new\\nline");

        // backup_one_restore_all: the bootstrap's artifact is the custom one; the other instance's is ordinary
        assertThat(tars.get(custom.replace(".tar", "")).text("./backed-up-by.txt"))
                .isEqualTo("database/0 " + db0.id() + " bootstrap=true\n");
        assertThat(tars.get("database-1-backup-one-restore-all").text("./backed-up-by.txt"))
                .isEqualTo("database/1 " + db1.id() + " bootstrap=false\n");
        assertThat(Files.readString(dir.resolve("metadata")))
                .contains("custom_artifacts:\n- name: backup-one-restore-all-lab-release-backup-one-restore-all\n");

        // scripts ran as root with bbr's environment
        List<Call> backups = calls(l, DEP, "backup");
        assertThat(backups).extracting(Call::key).containsExactlyInAnyOrder(
                "database/0 data backup", "database/0 lock-recorder backup", "database/0 ordered-a backup",
                "database/0 backup-one-restore-all backup",
                "database/1 data backup", "database/1 lock-recorder backup", "database/1 ordered-a backup",
                "database/1 backup-one-restore-all backup",
                "web/0 ordered-b backup", "web/0 lock-recorder backup", "web/0 failing backup", "web/0 slow backup");
        for (Call c : backups) {
            String expectedDir = "/var/vcap/store/bbr-backup/" + (c.key().equals("database/0 backup-one-restore-all backup")
                    ? "backup-one-restore-all-lab-release-backup-one-restore-all" : c.job()) + "/";
            assertThat(c.env()).as(c.key()).containsEntry("user", "root")
                    .containsEntry("BBR_ARTIFACT_DIRECTORY", expectedDir).containsEntry("ARTIFACT_DIRECTORY", expectedDir);
        }
        List<Call> unlocks = calls(l, DEP, "post-backup-unlock");
        assertThat(unlocks).extracting(Call::key).containsExactlyInAnyOrder(
                "database/0 ordered-a post-backup-unlock", "database/1 ordered-a post-backup-unlock",
                "web/0 ordered-b post-backup-unlock", "database/0 lock-recorder post-backup-unlock",
                "database/1 lock-recorder post-backup-unlock", "web/0 lock-recorder post-backup-unlock",
                "web/0 failing post-backup-unlock");
        assertThat(unlocks).allSatisfy(c -> assertThat(c.env())
                .containsEntry("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "true"));
        assertThat(calls(l, DEP, "metadata")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.env().get("BBR_VERSION")).isNotEmpty());

        // lock order across instances: ordered-a (both database VMs) before ordered-b (web); unlock in reverse;
        // all locks before the first backup script, all unlocks after the last
        assertLockOrder();
        long lastLock = calls(l, DEP, "pre-backup-lock").stream().mapToLong(Call::nanos).max().orElseThrow();
        long firstUnlock = unlocks.stream().mapToLong(Call::nanos).min().orElseThrow();
        assertThat(backups).allSatisfy(c -> assertThat(c.nanos()).isBetween(lastLock, firstUnlock));

        // nothing left behind: remote dirs, temporary users, keys
        for (LabInstance vm : vms) {
            assertThat(remoteArtifactRootExists(vm)).as("bbr-backup on " + vm).isFalse();
            assertThat(vm.sshUsers()).as("authorized bosh users on " + vm).isEmpty();
            // exactly one SSH handshake per instance for the whole run
            assertThat(acceptedBoshLogins(vm, sshdBefore)).as("sshd logins on " + vm).hasSize(1);
        }
        assertThat(l.boshUsers()).isEmpty();

        // the Director: vms?format=full, one ssh setup per group first, one ssh cleanup per group last
        List<LabRequest> requests = l.requests();
        List<String> lines = requests.stream().map(LabRequest::line).toList();
        assertThat(lines).contains("GET /deployments/lab-deployment/vms?format=full");
        List<Integer> sshPosts = indexesOf(lines, "POST /deployments/lab-deployment/ssh");
        assertThat(sshPosts).hasSize(4);
        assertThat(requests).allSatisfy(r -> assertThat(r.status()).as(r.line()).isBetween(200, 399));
        // setup reads each task's result (host keys) before the next POST; the cleanups (each awaited
        // to the end of its task, so the user is gone when bbr exits) are the run's last requests
        assertThat(lines.subList(sshPosts.get(0), sshPosts.get(1))).anyMatch(s -> s.matches("GET /tasks/\\d+/output\\?type=result"));
        assertThat(lines.subList(sshPosts.get(1), sshPosts.get(2))).anyMatch(s -> s.matches("GET /tasks/\\d+/output\\?type=result"));
        assertThat(lines.subList(sshPosts.get(2), lines.size()))
                .allMatch(s -> s.equals("POST /deployments/lab-deployment/ssh") || s.matches("GET /tasks/\\d+(/output\\?type=(event|result))?"));
    }

    // ------------------------------------------------------------------ failures and exit codes

    @Test
    void backupScriptFailureUnlocksWithFalseAndExitsOne() throws Exception {
        failScript(web0, "failing", "backup", "backup refused by the lab");

        CliRun run = backup(l, DEP, artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\nError attempting to run backup for job failing on web/"
                + web0.id() + ": backup refused by the lab - exit code 1\n\n");
        assertThat(run.out()).contains("ERROR - Error backing up failing on web/" + web0.id() + ".",
                "ERROR - stderr: backup refused by the lab", "INFO - Failed to create backup of lab-deployment")
                .doesNotContain("Copying backup");
        assertUnlockedEverything("false");
        Path dir = onlyBackupDir(artifacts, DEP);
        assertThat(Files.readString(dir.resolve("BACKUP-INCOMPLETE"))).contains("status: failed",
                "backup refused by the lab");
        assertThat(fileNames(dir)).noneMatch(f -> f.endsWith(".tar"));
        assertCleanInstances();
    }

    @Test
    void lockFailureSkipsTheBackupUnlocksEverythingAndExitsFour() throws Exception {
        failScript(web0, "ordered-b", "pre-backup-lock", "lock refused by the lab");

        CliRun run = backup(l, DEP, artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(4);
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\nError attempting to run pre-backup-lock for job "
                + "ordered-b on web/" + web0.id() + ": lock refused by the lab - exit code 1\n\n");
        assertThat(calls(l, DEP, "backup")).isEmpty();
        assertUnlockedEverything("false");
        assertThat(Files.readString(onlyBackupDir(artifacts, DEP).resolve("BACKUP-INCOMPLETE"))).contains("status: failed");
        assertCleanInstances();
    }

    @Test
    void unlockFailureKeepsTheArtifactsAdvisesCleanupAndExitsEight() throws Exception {
        failScript(db1, "lock-recorder", "post-backup-unlock", "unlock refused by the lab");

        CliRun run = backup(l, DEP, artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(8);
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\nError attempting to run post-backup-unlock for job "
                + "lock-recorder on database/" + db1.id() + ": unlock refused by the lab - exit code 1\n" + ADVICE + "\n");
        // the other unlocks still ran, with "true": the backup scripts succeeded; the drain went ahead
        assertThat(calls(l, DEP, "post-backup-unlock")).hasSize(7)
                .allSatisfy(c -> assertThat(c.env()).containsEntry("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "true"));
        // a failed unlock does not make the drained, verified backup incomplete (as in bbr, it is restorable)
        assertCompleteBackup(onlyBackupDir(artifacts, DEP));
        assertCleanInstances();
    }

    @Test
    void lockAndUnlockFailuresCombineIntoTwelve() {
        failScript(web0, "ordered-b", "pre-backup-lock", "lock refused by the lab");
        failScript(db0, "ordered-a", "post-backup-unlock", "unlock refused by the lab");

        CliRun run = backup(l, DEP, artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(12);
        assertThat(run.err()).startsWith("2 errors occurred:\nerror 1:\nError attempting to run pre-backup-lock for job "
                + "ordered-b on web/" + web0.id() + ": lock refused by the lab - exit code 1\nerror 2:\n"
                + "Error attempting to run post-backup-unlock for job ordered-a on database/" + db0.id()
                + ": unlock refused by the lab - exit code 1\n").endsWith(ADVICE + "\n");
        assertThat(calls(l, DEP, "backup")).isEmpty();
        assertThat(calls(l, DEP, "post-backup-unlock")).hasSize(7);
        assertCleanInstances();
    }

    /**
     * Exit 16: the remote cleanup ({@code rm -rf /var/vcap/store/bbr-backup}) fails. The slow job's runtime
     * params (sourced by its scripts) mount a tmpfs inside the artifact root during its backup, so the root
     * cannot be removed ("Device or resource busy") while everything else works.
     */
    @Test
    void remoteCleanupFailureExitsSixteenAndKeepsAGoodBackup() throws Exception {
        busyArtifactRootOnWeb();

        CliRun run = backup(l, DEP, artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(16);
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\nDeployment 'lab-deployment' failed while cleaning up "
                + "with error: failed to remove backup artifact: rm: cannot remove '/var/vcap/store/bbr-backup/zz-busy': "
                + "Device or resource busy - exit code 1\n" + ADVICE + "\n");
        assertThat(run.out()).contains("INFO - Backup created of lab-deployment on ");
        // every artifact was drained and verified before the cleanup failed: a complete backup
        assertCompleteBackup(onlyBackupDir(artifacts, DEP));
        // the ssh cleanup still ran, and the other instances' roots are gone
        assertThat(l.boshUsers()).isEmpty();
        assertThat(remoteArtifactRootExists(db0)).isFalse();
        assertThat(remoteArtifactRootExists(db1)).isFalse();
        assertThat(Files.exists(web0.varVcap().resolve("store/bbr-backup/slow"))).as("drained job dir removed").isFalse();
    }

    /**
     * Exit 16 from the other cleanup: the Director answers 500 to both ssh cleanup POSTs. The fault is armed
     * while the slow job's backup runs, i.e. after the ssh setup POSTs (the lab cannot match request bodies).
     */
    @Test
    void sshCleanupFailureExitsSixteenAndKeepsAGoodBackup() throws Exception {
        jobParams(web0, "slow", "SLEEP_SECONDS=2");
        java.util.concurrent.CompletableFuture<CliRun> running =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> backup(l, DEP, artifacts));
        BackupE2eSupport.waitFor("the slow job's backup", 60, () -> running.isDone()
                || calls(l, DEP, "backup").stream().anyMatch(c -> c.job().equals("slow")));
        l.faults().httpStatus("POST", "/deployments/lab-deployment/ssh", 500, 2);
        CliRun run = running.get(120, java.util.concurrent.TimeUnit.SECONDS);
        try {
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(16);
            assertThat(run.err()).startsWith("2 errors occurred:\nerror 1:\nDeployment 'lab-deployment' failed while "
                    + "cleaning up with error: failed to cleanup ssh: ").endsWith(ADVICE + "\n");
            assertThat(run.err().split("failed to cleanup ssh: ", -1)).hasSize(3);
            assertCompleteBackup(onlyBackupDir(artifacts, DEP));
            for (LabInstance vm : l.instances(DEP)) {
                assertThat(remoteArtifactRootExists(vm)).as("bbr-backup on " + vm).isFalse();
            }
            // the failure is real: the temporary user is still there
            assertThat(l.boshUsers()).hasSize(1);
        } finally {
            l.faults().clear();
            BackupE2eSupport.director(l, "POST", "/deployments/lab-deployment/ssh", "{\"command\":\"cleanup\","
                    + "\"deployment_name\":\"lab-deployment\",\"target\":{\"indexes\":[],\"ids\":[]},"
                    + "\"params\":{\"user_regex\":\"^bosh_\"}}");
            BackupE2eSupport.waitFor("the lab's ssh cleanup", 30, () -> l.boshUsers().isEmpty());
        }
    }

    @Test
    void backupFailureAndCleanupFailureCombineIntoSeventeen() throws Exception {
        busyArtifactRootOnWeb();
        failScript(db0, "data", "backup", "data backup refused by the lab");

        CliRun run = backup(l, DEP, artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(17);
        assertThat(run.err()).startsWith("2 errors occurred:\nerror 1:\nError attempting to run backup for job data on "
                + "database/" + db0.id() + ": data backup refused by the lab - exit code 1\nerror 2:\n"
                + "Deployment 'lab-deployment' failed while cleaning up with error: failed to remove backup artifact: ")
                .endsWith(ADVICE + "\n");
        assertUnlockedEverything("false");
        assertThat(Files.readString(onlyBackupDir(artifacts, DEP).resolve("BACKUP-INCOMPLETE"))).contains("status: failed",
                "data backup refused by the lab", "Device or resource busy");
        // the failed backup's remote directories were removed everywhere else
        assertThat(remoteArtifactRootExists(db0)).isFalse();
        assertThat(remoteArtifactRootExists(db1)).isFalse();
        assertThat(l.boshUsers()).isEmpty();
    }

    // ------------------------------------------------------------------ pre-checks

    @Test
    void preExistingRemoteArtifactDirectoryFailsBeforeAnythingIsLocked() throws Exception {
        exec(db1, "mkdir -p /var/vcap/store/bbr-backup/leftover && echo keep > /var/vcap/store/bbr-backup/leftover/f");

        CliRun run = backup(l, DEP, artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\nDirectory /var/vcap/store/bbr-backup already exists "
                + "on instance database/" + db1.id() + "\n" + ADVICE + "\n");
        assertThat(calls(l, DEP)).allMatch(c -> c.script().equals("metadata"));
        assertThat(lockEvents(l, DEP)).isEmpty();
        assertThat(fileNames(artifacts)).as("no local backup directory").isEmpty();
        // bbr does not touch someone else's directory
        assertThat(web0.varVcap().resolve("store/bbr-backup")).doesNotExist();
        assertThat(db1.varVcap().resolve("store/bbr-backup/leftover/f")).hasContent("keep");
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void deploymentWithoutBackupScriptsIsRefused() throws Exception {
        CliRun run = backup(l, "no-scripts", artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\nDeployment 'no-scripts' has no backup scripts\n\n");
        assertThat(fileNames(artifacts)).isEmpty();
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void cyclicLockGraphIsRefusedBeforeAnythingIsCreated() throws Exception {
        CliRun run = backup(l, "cyclic", artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\njob locking dependency graph is cyclic\n\n");
        assertThat(calls(l, "cyclic")).isNotEmpty().allMatch(c -> c.script().equals("metadata"));
        assertThat(fileNames(artifacts)).as("no backup directory").isEmpty();
        assertThat(remoteArtifactRootExists(l.instance("cyclic", "loop", 0))).isFalse();
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void skipBbrScriptsJobNeverRuns() throws Exception {
        CliRun run = backup(l, "skipping", artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(calls(l, "skipping").stream().filter(c -> c.job().equals("skipped")).map(Call::script))
                .containsExactly("metadata");
        assertThat(calls(l, "skipping").stream().filter(c -> c.job().equals("lock-recorder")).map(Call::script))
                .containsExactly("pre-backup-lock", "backup", "post-backup-unlock");
        Path dir = onlyBackupDir(artifacts, "skipping");
        assertThat(fileNames(dir)).containsExactly("bbr-sidecar.json", "main-0-lock-recorder.tar", "metadata");
    }

    // ------------------------------------------------------------------ flags

    @Test
    void withManifestWritesTheDirectorsManifest() throws Exception {
        CliRun run = backup(l, DEP, artifacts, "--with-manifest");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        Path manifest = onlyBackupDir(artifacts, DEP).resolve("manifest.yml");
        assertThat(Files.getPosixFilePermissions(manifest)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(manifest)).isEqualTo(directorManifest(DEP)).contains("backup_one_restore_all: true");
    }

    @Test
    void unsafeLockFreeRunsNoLockScripts() throws Exception {
        CliRun run = backup(l, DEP, artifacts, "--unsafe-lock-free");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("INFO - Skipping lock for deployment",
                "INFO - Skipping unlock after successful backup for deployment")
                .doesNotContain("Locking ", "Unlocking ");
        assertThat(calls(l, DEP)).extracting(Call::script).doesNotContain("pre-backup-lock", "post-backup-unlock")
                .contains("backup");
        assertThat(lockEvents(l, DEP)).isEmpty();
        assertThat(fileNames(onlyBackupDir(artifacts, DEP))).doesNotContain("BACKUP-INCOMPLETE").contains("metadata");
    }

    // ------------------------------------------------------------------ pre-backup-check, backup-cleanup

    @Test
    void preBackupCheckSaysTheDeploymentCanBeBackedUp() {
        CliRun run = BackupE2eSupport.bbr(l, "deployment", "--deployment", DEP, "pre-backup-check");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out().lines().filter(s -> !s.startsWith("[bbr]")).toList())
                .singleElement().asString().matches("\\[\\d{2}:\\d{2}:\\d{2}\\] Deployment 'lab-deployment' can be backed up\\.");
        assertThat(run.err()).isEmpty();
        assertThat(calls(l, DEP)).allMatch(c -> c.script().equals("metadata"));
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void preBackupCheckListsEveryLeftoverDirectoryWithTheCleanupAdvice() {
        exec(db0, "mkdir -p /var/vcap/store/bbr-backup");
        exec(web0, "mkdir -p /var/vcap/store/bbr-backup");

        CliRun run = BackupE2eSupport.bbr(l, "deployment", "--deployment", DEP, "pre-backup-check");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        List<String> expected = new java.util.ArrayList<>(List.of(
                "Directory /var/vcap/store/bbr-backup already exists on instance database/" + db0.id(),
                "Directory /var/vcap/store/bbr-backup already exists on instance web/" + web0.id()));
        expected.sort(null);
        assertThat(run.out()).containsPattern("\\[\\d{2}:\\d{2}:\\d{2}\\] Deployment 'lab-deployment' cannot be backed up\\.\n"
                + "  1 error occurred:\n  error 1:\n  " + java.util.regex.Pattern.quote(expected.get(0)) + "\n  "
                + java.util.regex.Pattern.quote(expected.get(1)) + "\n");
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\n" + expected.get(0) + "\n" + expected.get(1) + "\n"
                + ADVICE + "\n");
        assertThat(l.boshUsers()).isEmpty();
        assertThat(remoteArtifactRootExists(db0)).as("pre-backup-check removes nothing").isTrue();
    }

    @Test
    void backupCleanupUnlocksWithFalseInReverseOrderAndRemovesLeftovers() throws Exception {
        exec(db0, "mkdir -p /var/vcap/store/bbr-backup/ordered-a && echo x > /var/vcap/store/bbr-backup/ordered-a/f");
        exec(web0, "mkdir -p '/var/vcap/store/bbr-backup/odd name' && echo y > '/var/vcap/store/bbr-backup/odd name/g'");

        CliRun run = BackupE2eSupport.bbr(l, "deployment", "--deployment", DEP, "backup-cleanup");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("INFO - 'lab-deployment' cleaned up");
        List<Call> unlocks = calls(l, DEP, "post-backup-unlock");
        assertThat(unlocks).hasSize(7).allSatisfy(c -> assertThat(c.env())
                .containsEntry("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "false"));
        assertThat(calls(l, DEP)).extracting(Call::script).doesNotContain("pre-backup-lock", "backup");
        Map<String, Long> at = unlocks.stream().collect(Collectors.toMap(c -> c.instance() + " " + c.job(), Call::nanos));
        assertThat(at.get("web/0 ordered-b")).isLessThan(at.get("database/0 ordered-a")).isLessThan(at.get("database/1 ordered-a"));
        assertCleanInstances();
    }

    // ------------------------------------------------------------------ a real database

    @Test
    void redisJobBacksUpRealData() throws Exception {
        LabInstance redis = l.instance("redis", "redis", 0);
        String value = "v" + Long.toHexString(System.nanoTime());
        exec(redis, "redis-cli -h " + redis.ip() + " SET bbr-e2e-key " + value + " && redis-cli -h " + redis.ip()
                + " RPUSH bbr-e2e-list a b c");

        CliRun run = backup(l, "redis", artifacts);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        Path dir = onlyBackupDir(artifacts, "redis");
        TarContents tar = readTar(dir.resolve("redis-0-redis.tar"));
        byte[] dump = tar.small().get("./dump.rdb");
        assertThat(dump).isNotNull();
        String text = new String(dump, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("REDIS").contains("bbr-e2e-key", value, "bbr-e2e-list");
        // the very file redis SAVEd on the instance, with the checksum recorded in metadata
        assertThat(tar.sha256().get("./dump.rdb"))
                .isEqualTo(BackupE2eSupport.sha256(redis.varVcap().resolve("store/redis/dump.rdb")))
                .isEqualTo(metadataChecksums(metadata(dir)).get("redis-0-redis").get("./dump.rdb"));
        assertThat(exec(redis, "redis-cli -h " + redis.ip() + " GET bbr-e2e-key").stdout().strip()).isEqualTo(value);
    }

    // ------------------------------------------------------------------ helpers

    private void busyArtifactRootOnWeb() {
        jobParams(web0, "slow", "if [ \"$LAB_SCRIPT_NAME\" = backup ]; then\n"
                + "  mkdir -p /var/vcap/store/bbr-backup/zz-busy\n"
                + "  mountpoint -q /var/vcap/store/bbr-backup/zz-busy || mount -t tmpfs lab-busy /var/vcap/store/bbr-backup/zz-busy\n"
                + "fi");
    }

    /** All 12 artifacts present and matching the metadata, finish_time written, no incomplete marker. */
    @SuppressWarnings("unchecked")
    private static void assertCompleteBackup(Path dir) throws java.io.IOException {
        assertThat(fileNames(dir)).doesNotContain("BACKUP-INCOMPLETE");
        Map<String, Object> metadata = metadata(dir);
        assertThat((Map<String, Object>) metadata.get("backup_activity")).containsKeys("start_time", "finish_time");
        Map<String, Map<String, String>> recorded = metadataChecksums(metadata);
        assertThat(recorded).hasSize(12);
        for (Map.Entry<String, Map<String, String>> e : recorded.entrySet()) {
            assertThat(readTar(dir.resolve(e.getKey() + ".tar")).sha256()).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    /** Every post-backup-unlock ran with the given BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL; nothing stays locked. */
    private void assertUnlockedEverything(String succeeded) {
        assertThat(calls(l, DEP, "post-backup-unlock")).extracting(Call::key).containsExactlyInAnyOrder(
                "database/0 ordered-a post-backup-unlock", "database/1 ordered-a post-backup-unlock",
                "web/0 ordered-b post-backup-unlock", "database/0 lock-recorder post-backup-unlock",
                "database/1 lock-recorder post-backup-unlock", "web/0 lock-recorder post-backup-unlock",
                "web/0 failing post-backup-unlock");
        assertThat(calls(l, DEP, "post-backup-unlock")).allSatisfy(c -> assertThat(c.env())
                .containsEntry("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", succeeded));
        BackupE2eSupport.assertNothingLeftLocked(l, DEP);
    }

    /** No remote artifact root, no temporary user, no authorized key anywhere in the deployment. */
    private void assertCleanInstances() {
        for (LabInstance vm : l.instances(DEP)) {
            assertThat(remoteArtifactRootExists(vm)).as("bbr-backup on " + vm).isFalse();
            assertThat(vm.sshUsers()).as("bosh users on " + vm).isEmpty();
        }
        assertThat(l.boshUsers()).isEmpty();
    }

    private String directorManifest(String deployment) throws Exception {
        java.net.http.HttpResponse<String> response = BackupE2eSupport.director(l, "GET", "/deployments/" + deployment, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("manifest").asText();
    }

    private void assertLockOrder() {
        List<LockEvent> events = lockEvents(l, DEP);
        Map<String, Long> lock = events.stream().filter(e -> e.what().equals("lock"))
                .collect(Collectors.toMap(LockEvent::target, LockEvent::nanos));
        Map<String, Long> unlock = events.stream().filter(e -> e.what().equals("unlock"))
                .collect(Collectors.toMap(LockEvent::target, LockEvent::nanos));
        assertThat(lock.keySet()).containsExactlyInAnyOrder("database/0 ordered-a", "database/1 ordered-a",
                "web/0 ordered-b", "database/0 lock-recorder", "database/1 lock-recorder", "web/0 lock-recorder");
        assertThat(unlock.keySet()).isEqualTo(lock.keySet());
        assertThat(lock.get("web/0 ordered-b")).as("ordered-b locked after ordered-a on both database VMs: " + events)
                .isGreaterThan(lock.get("database/0 ordered-a")).isGreaterThan(lock.get("database/1 ordered-a"));
        assertThat(unlock.get("web/0 ordered-b")).as("ordered-b unlocked before ordered-a: " + events)
                .isLessThan(unlock.get("database/0 ordered-a")).isLessThan(unlock.get("database/1 ordered-a"));
    }

    private static List<Integer> indexesOf(List<String> lines, String line) {
        return java.util.stream.IntStream.range(0, lines.size()).filter(i -> lines.get(i).equals(line)).boxed().toList();
    }
}
