package dev.bbr.lab;

import dev.bbr.lab.junit.LabExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The job library scripts, run the way bbr runs them (as root, BBR_* env, artifact dirs). */
class JobLibraryTest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/default.yml");

    private static final String ART = "/var/vcap/store/bbr-backup";

    private LabInstance db0() {
        return lab.get().instance("lab-deployment", "database", 0);
    }

    private LabInstance web() {
        return lab.get().instance("lab-deployment", "web", 0);
    }

    private static ExecResult run(LabInstance vm, String job, String script, String artifactDir) {
        String env = artifactDir == null ? "" : "BBR_ARTIFACT_DIRECTORY=" + artifactDir + "/ ARTIFACT_DIRECTORY=" + artifactDir + "/ ";
        return vm.exec("mkdir -p " + ART + " && " + (artifactDir == null ? "" : "mkdir -p " + artifactDir + " && ")
                + "sudo " + env + "/var/vcap/jobs/" + job + "/bin/bbr/" + script);
    }

    @AfterEach
    void cleanup() {
        for (LabInstance vm : lab.get().instances("lab-deployment")) {
            vm.exec("rm -rf " + ART + " /var/vcap/store/lab-fail /var/vcap/store/lab-params /var/vcap/store/fail-*");
        }
    }

    @Test
    void dataBackupAndRestoreRoundTripWithAwkwardNames() {
        LabInstance vm = db0();
        String before = vm.exec("cd /var/vcap/store/data && find . -type f -print0 | sort -z | xargs -0 sha256sum").stdout();
        assertThat(before).contains("./nested/dir one/file with spaces.bin", "./it's quoted.txt");
        assertThat(vm.exec("stat -c %s '/var/vcap/store/data/nested/dir one/file with spaces.bin'").stdout().strip()).isEqualTo("65536");

        assertThat(run(vm, "data", "backup", ART + "/data").exitCode()).isZero();
        assertThat(vm.varVcap().resolve("store/bbr-backup/data/data/it's quoted.txt")).exists();

        vm.exec("rm -rf '/var/vcap/store/data/nested' && echo changed > /var/vcap/store/data/top.txt");
        ExecResult restore = run(vm, "data", "restore", ART + "/data");
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(vm.exec("cd /var/vcap/store/data && find . -type f -print0 | sort -z | xargs -0 sha256sum").stdout()).isEqualTo(before);

        vm.exec("echo corrupt >> '" + ART + "/data/data/top.txt'");
        ExecResult bad = run(vm, "data", "restore", ART + "/data");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("checksum mismatch");
    }

    @Test
    void lockRecorderAndOrderedJobsRecordLocksAndDeclareOrder() {
        LabInstance vm = db0();
        vm.exec("rm -f /var/vcap/sys/log/lock-recorder/locks.log");
        assertThat(run(vm, "ordered-a", "pre-backup-lock", null).exitCode()).isZero();
        assertThat(run(vm, "lock-recorder", "pre-backup-lock", null).exitCode()).isZero();
        assertThat(vm.exec("sudo BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL=true /var/vcap/jobs/lock-recorder/bin/bbr/post-backup-unlock").exitCode()).isZero();
        String locks = vm.exec("cat /var/vcap/sys/log/lock-recorder/locks.log").stdout();
        assertThat(locks.lines().toList()).hasSize(3).allMatch(l -> l.matches("\\d{19} database/0 \\S+ (lock|unlock)"));
        assertThat(locks).contains(" database/0 ordered-a lock", " database/0 lock-recorder lock", " database/0 lock-recorder unlock");
        assertThat(vm.exec("cat /var/vcap/sys/log/lab/calls.log").stdout()).contains("post-backup-unlock user=root")
                .contains("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL=true");

        assertThat(run(web(), "ordered-b", "pre-backup-lock", null).exitCode()).isZero();
        assertThat(lab.get().lockEvents("lab-deployment")).hasSize(4).last().asString().endsWith(" web/0 ordered-b lock");
        assertThat(lab.get().scriptCalls("lab-deployment")).anyMatch(l -> l.contains(" web/0 ordered-b pre-backup-lock "));
        web().exec("rm -f /var/vcap/sys/log/lock-recorder/locks.log");

        ExecResult meta = vm.exec("sudo BBR_VERSION=1.2.3 /var/vcap/jobs/ordered-a/bin/bbr/metadata");
        assertThat(meta.stdout()).isEqualTo("backup_should_be_locked_before:\n- job_name: ordered-b\n  release: lab-release\n"
                + "restore_should_be_locked_before:\n- job_name: ordered-b\n  release: lab-release\n");
        assertThat(web().exec("/var/vcap/jobs/ordered-b/bin/bbr/metadata").stdout()).isEmpty();
    }

    @Test
    void failingJobFailsTheChosenStageOnDemand() {
        LabInstance vm = web();
        assertThat(run(vm, "failing", "backup", ART + "/failing").exitCode()).isZero();
        vm.exec("echo 'disk on fire' > /var/vcap/store/fail-backup");
        ExecResult r = run(vm, "failing", "backup", ART + "/failing");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr().strip()).isEqualTo("disk on fire");
        assertThat(run(vm, "failing", "pre-backup-lock", null).exitCode()).isZero();
        // same via the parameter override file
        vm.exec("mkdir -p /var/vcap/store/lab-params && echo 'FAIL_STAGES=\"pre-backup-lock,restore\"' > /var/vcap/store/lab-params/failing.env");
        ExecResult lock = run(vm, "failing", "pre-backup-lock", null);
        assertThat(lock.exitCode()).isEqualTo(1);
        assertThat(lock.stderr()).contains("failing job: pre-backup-lock failed on purpose on web/0");
        // and any job via /var/vcap/store/lab-fail/<job>/<script>
        vm.exec("mkdir -p /var/vcap/store/lab-fail/ordered-b && touch /var/vcap/store/lab-fail/ordered-b/post-backup-unlock");
        ExecResult unlock = run(vm, "ordered-b", "post-backup-unlock", null);
        assertThat(unlock.exitCode()).isEqualTo(1);
        assertThat(unlock.stderr()).contains("lab fault: ordered-b post-backup-unlock failed on web/0");
    }

    @Test
    void slowJobSleepsAsConfigured() {
        LabInstance vm = web();
        vm.exec("mkdir -p /var/vcap/store/lab-params && echo SLEEP_SECONDS=1 > /var/vcap/store/lab-params/slow.env");
        long t0 = System.nanoTime();
        assertThat(run(vm, "slow", "backup", ART + "/slow").exitCode()).isZero();
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void backupOneRestoreAllRestoresTheBootstrapArtifactEverywhere() {
        LabInstance boot = db0();
        LabInstance other = lab.get().instance("lab-deployment", "database", 1);
        String dir = ART + "/backup-one-restore-all-lab-release-backup-one-restore-all";
        assertThat(run(boot, "backup-one-restore-all", "backup", dir).exitCode()).isZero();
        String content = boot.exec("cat " + dir + "/backed-up-by.txt").stdout();
        assertThat(content).startsWith("database/0 " + boot.id() + " bootstrap=true");
        // bbr uploads the bootstrap artifact to every instance, then restores
        other.exec("mkdir -p " + dir + " && printf '%s' '" + content + "' > " + dir + "/backed-up-by.txt");
        assertThat(run(other, "backup-one-restore-all", "restore", dir).exitCode()).isZero();
        assertThat(other.exec("cat /var/vcap/store/backup-one-restore-all/restored.log").stdout())
                .contains(" database/1 " + dir + " database/0 " + boot.id());
    }
}
