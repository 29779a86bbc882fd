package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.BackupE2eSupport.calls;
import static dev.bbr.cli.e2e.BackupE2eSupport.exec;
import static dev.bbr.cli.e2e.BackupE2eSupport.remoteArtifactRootExists;
import static dev.bbr.cli.e2e.BackupE2eSupport.sleepScript;
import static dev.bbr.cli.e2e.BackupE2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.cli.e2e.BackupE2eSupport.Bbr;
import dev.bbr.cli.e2e.BackupE2eSupport.LockEvent;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 items 1 and 3 against the lab, as separate bbr processes: {@code --all-deployments}
 * stops every deployment in flight on SIGTERM or Ctrl-C (asked once), starts none of the others and
 * leaves nothing locked, no remote directory, no temporary user; a restore stopped with Ctrl-C stops
 * its running restore script within seconds, in deployment and director mode.
 */
class SignalsE2ETest {
    private static final String BACKUP_QUESTION = "Stopping a backup can leave the system in bad state. Are you sure"
            + " you want to cancel? [yes/no]";
    private static final String RESTORE_QUESTION = "Stopping a restore can leave the system in bad state. Are you"
            + " sure you want to cancel? [yes/no]";
    private static final String RESTORE_ADVICE = "It is recommended that you run `bbr restore-cleanup` to ensure"
            + " that any temp files are cleaned up and all jobs are unlocked.";
    private static final List<String> DEPLOYMENTS = List.of("alpha", "beta", "gamma");

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/signals.yml");

    @TempDir
    Path tmp;

    private Lab l;

    @BeforeEach
    void reset() throws Exception {
        l = lab.get();
        BackupE2eSupport.reset(l);
        exec(l.directorVm(), "rm -rf /var/vcap/store/lab-sleep /var/vcap/store/bbr-backup; "
                + "rm -f /var/vcap/sys/log/lock-recorder/locks.log /var/vcap/sys/log/lab/calls.log");
    }

    private LabInstance vm(String deployment) {
        return l.instance(deployment, "db", 0);
    }

    private ProcessBuilder allDeployments(String... args) {
        List<String> all = new ArrayList<>(List.of("deployment", "--all-deployments"));
        all.addAll(List.of(args));
        ProcessBuilder pb = BackupE2eSupport.subprocess(l, List.of(), all.toArray(String[]::new));
        pb.environment().remove("BOSH_DEPLOYMENT");
        pb.directory(tmp.toFile());
        return pb;
    }

    // ------------------------------------------------------------------ --all-deployments backup

    @Test
    void sigtermStopsEveryDeploymentInFlightAndStartsNoOther() throws Exception {
        DEPLOYMENTS.forEach(d -> sleepScript(vm(d), "slow", "backup", 60));
        try (Bbr bbr = new Bbr(allDeployments("--max-deployments", "2", "backup", "--artifact-path",
                tmp.toString()))) {
            awaitSlowBackupRunning(bbr, "alpha", "beta");
            long signalled = System.nanoTime();
            bbr.signal("TERM");

            assertThat(bbr.await(60)).as(bbr.out() + "\n" + bbr.err()).isEqualTo(1);
            assertThat((System.nanoTime() - signalled) / 1e9).as("seconds from SIGTERM to exit (scripts sleep 60 s)")
                    .isLessThan(25);
            assertThat(bbr.out()).containsPattern("Successfully backed up: \n").contains("FAILED: alpha, beta, gamma")
                    .doesNotContain("Starting backup of gamma");
            assertThat(bbr.err()).contains("3 out of 3 deployments cannot be backed up:",
                    "Deployment 'gamma':\n  1 error occurred:\n  error 1:\n  not started: the run was cancelled",
                    "It is recommended that you run `bbr deployment --all-deployments backup-cleanup`");
            assertStoppedCleanly(List.of("alpha", "beta"));
            assertNeverTouched("gamma");
        }
    }

    @Test
    void ctrlCAnsweredYesAsksOnceForTheWholeRunAndStopsEveryDeployment() throws Exception {
        DEPLOYMENTS.forEach(d -> sleepScript(vm(d), "slow", "backup", 60));
        try (Bbr bbr = new Bbr(allDeployments("backup", "--artifact-path", tmp.toString()))) {
            awaitSlowBackupRunning(bbr, "alpha", "beta", "gamma");
            bbr.signal("INT");
            waitFor("the question", 20, () -> bbr.rawOut().contains(BACKUP_QUESTION));
            bbr.answer("yes\n");

            assertThat(bbr.await(60)).as(bbr.out() + "\n" + bbr.err()).isEqualTo(1);
            assertThat(bbr.out().split(java.util.regex.Pattern.quote(BACKUP_QUESTION), -1)).as("questions asked")
                    .hasSize(2);
            assertThat(bbr.out()).contains("FAILED: alpha, beta, gamma");
            assertStoppedCleanly(DEPLOYMENTS);
        }
    }

    @Test
    void preBackupCheckStoppedBySigtermRemovesItsTemporaryUsersAndStartsNoOther() throws Exception {
        sleepScript(vm("alpha"), "ordered", "metadata", 6);
        try (Bbr bbr = new Bbr(allDeployments("--max-deployments", "1", "pre-backup-check"))) {
            waitFor("alpha's metadata script", 30, () -> calls(l, "alpha", "metadata").size() == 1);
            bbr.signal("TERM");

            assertThat(bbr.await(60)).as(bbr.out() + "\n" + bbr.err()).isEqualTo(1);
            assertThat(bbr.out()).contains("FAILED: alpha, beta, gamma");
            assertThat(l.boshUsers()).as("temporary users").isEmpty();
            assertNeverTouched("beta");
            assertNeverTouched("gamma");
        }
    }

    @Test
    void backupCleanupStoppedBySigtermFinishesItsUnlocksAndStartsNoOther() throws Exception {
        sleepScript(vm("alpha"), "lock-recorder", "post-backup-unlock", 5);
        try (Bbr bbr = new Bbr(allDeployments("--max-deployments", "1", "backup-cleanup"))) {
            waitFor("alpha's unlock script", 30, () -> calls(l, "alpha", "post-backup-unlock").stream()
                    .anyMatch(c -> c.job().equals("lock-recorder")));
            bbr.signal("TERM");

            assertThat(bbr.await(60)).as(bbr.out() + "\n" + bbr.err()).isEqualTo(1);
            // unlock scripts are never stopped: the one that was running finished and recorded its unlock
            assertThat(BackupE2eSupport.lockEvents(l, "alpha")).extracting(LockEvent::what).contains("unlock");
            assertThat(bbr.out()).contains("Starting cleanup of alpha, log file: alpha_")
                    .doesNotContain("Starting cleanup of beta");
            assertThat(l.boshUsers()).isEmpty();
            assertNeverTouched("gamma");
        }
    }

    /**
     * The job scripts' {@code sleep 60} processes of this VM only: VMs share the host's pid space, and
     * other test suites on the machine may be sleeping too, so a process counts when it lives in this
     * VM's mount namespace.
     */
    private static final String SLEEPS_IN_THIS_VM = "self=$(readlink /proc/self/ns/mnt); for p in $(pgrep -f"
            + " 'sleep [6]0'); do [ \"$(readlink /proc/$p/ns/mnt 2>/dev/null)\" = \"$self\" ] && echo $p; done; true";

    private void awaitSlowBackupRunning(Bbr bbr, String... deployments) throws InterruptedException {
        for (String d : deployments) {
            waitFor(d + "'s slow backup script", 60, () -> calls(l, d, "backup").stream()
                    .anyMatch(c -> c.job().equals("slow")) || !bbr.process.isAlive());
            assertThat(bbr.process.isAlive()).as("bbr still running\n" + bbr.out() + bbr.err()).isTrue();
        }
    }

    /** Every lock matched by an unlock with "false", no remote directory, no user, the artifact marked. */
    private void assertStoppedCleanly(List<String> deployments) throws Exception {
        for (String d : deployments) {
            BackupE2eSupport.assertNothingLeftLocked(l, d);
            assertThat(calls(l, d, "post-backup-unlock")).isNotEmpty().allSatisfy(c -> assertThat(c.env())
                    .containsEntry("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "false"));
            assertThat(remoteArtifactRootExists(vm(d))).as("bbr-backup on " + d).isFalse();
            assertThat(vm(d).sshUsers()).as("bosh users on " + d).isEmpty();
            try (Stream<Path> dirs = Files.list(tmp)) {
                Path backup = dirs.filter(p -> p.getFileName().toString().startsWith(d + "_")
                        && Files.isDirectory(p)).findFirst().orElseThrow();
                assertThat(Files.readString(backup.resolve("BACKUP-INCOMPLETE"))).contains("cancelled");
            }
            assertThat(exec(vm(d), SLEEPS_IN_THIS_VM).stdout()).as("stopped script's sleep").isBlank();
        }
        assertThat(l.boshUsers()).as("temporary users").isEmpty();
    }

    /** No ssh setup, no lock, no backup directory for a deployment that was never started. */
    private void assertNeverTouched(String deployment) throws Exception {
        assertThat(l.requests().stream().filter(r -> r.line().equals("POST /deployments/" + deployment + "/ssh")))
                .as("ssh requests for " + deployment).isEmpty();
        assertThat(calls(l, deployment)).as("scripts run on " + deployment).isEmpty();
        try (Stream<Path> dirs = Files.list(tmp)) {
            assertThat(dirs.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(deployment + "_"));
        }
    }

    // ------------------------------------------------------------------ restore, Ctrl-C yes

    @Test
    void ctrlCYesDuringARestoreScriptReturnsWithinSecondsUnlocksAndCleansUp() throws Exception {
        Map<String, String> env = new HashMap<>(l.env());
        env.put("BOSH_DEPLOYMENT", "alpha");
        CliRun backup = CliRun.run(null, env, new String[] {"deployment", "backup", "--artifact-path", tmp.toString()});
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        Path artifact = onlyDirectory("alpha_");
        BackupE2eSupport.reset(l);
        sleepScript(vm("alpha"), "slow", "restore", 60);

        ProcessBuilder pb = BackupE2eSupport.subprocess(l, List.of(), "deployment", "--deployment", "alpha",
                "restore", "--artifact-path", artifact.toString());
        assertRestoreStopsWithinSeconds(pb, vm("alpha"), "alpha");
        BackupE2eSupport.assertNothingLeftLocked(l, "alpha");
        assertThat(remoteArtifactRootExists(vm("alpha"))).isFalse();
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void ctrlCYesDuringADirectorRestoreScriptReturnsWithinSeconds() throws Exception {
        LabInstance director = l.directorVm();
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> jvm = List.of("-Duser.home=" + home);
        String[] family = {"director", "--host", l.env().get("LAB_DIRECTOR_VM_HOST"), "-u",
                l.env().get("LAB_DIRECTOR_VM_USER"), "--key", l.env().get("LAB_DIRECTOR_VM_KEY")};
        Path backups = Files.createDirectories(tmp.resolve("backups"));
        try (Bbr backup = new Bbr(BackupE2eSupport.subprocess(l, jvm, concat(family, "backup", "--artifact-path",
                backups.toString())))) {
            assertThat(backup.await(120)).as(backup.out() + backup.err()).isZero();
        }
        Path artifact;
        try (Stream<Path> dirs = Files.list(backups)) {
            artifact = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        exec(director, "rm -f /var/vcap/sys/log/lock-recorder/locks.log /var/vcap/sys/log/lab/calls.log");
        sleepScript(director, "slow", "restore", 60);

        assertRestoreStopsWithinSeconds(BackupE2eSupport.subprocess(l, jvm, concat(family, "restore",
                "--artifact-path", artifact.toString())), director, Lab.DIRECTOR_VM);
        BackupE2eSupport.assertNothingLeftLocked(l, Lab.DIRECTOR_VM);
        assertThat(Files.exists(director.varVcap().resolve("store/bbr-backup"))).isFalse();
    }

    private void assertRestoreStopsWithinSeconds(ProcessBuilder pb, LabInstance vm, String deployment)
            throws Exception {
        try (Bbr bbr = new Bbr(pb)) {
            waitFor("the slow restore script", 90, () -> calls(l, deployment, "restore").stream()
                    .anyMatch(c -> c.job().equals("slow")) || !bbr.process.isAlive());
            assertThat(bbr.process.isAlive()).as(bbr.out() + bbr.err()).isTrue();
            bbr.signal("INT");
            waitFor("the question", 20, () -> bbr.rawOut().contains(RESTORE_QUESTION));
            long answered = System.nanoTime();
            bbr.answer("yes\n");

            assertThat(bbr.await(60)).as(bbr.out() + "\n" + bbr.err()).isEqualTo(1);
            assertThat((System.nanoTime() - answered) / 1e9).as("seconds from 'yes' to exit (the script sleeps 60 s)")
                    .isLessThan(15);
            assertThat(bbr.out()).endsWith(RESTORE_ADVICE);
            assertThat(calls(l, deployment, "post-restore-unlock")).extracting(BackupE2eSupport.Call::job)
                    .contains("lock-recorder");
            assertThat(exec(vm, SLEEPS_IN_THIS_VM).stdout()).as("the stopped script's sleep").isBlank();
        }
    }

    private Path onlyDirectory(String prefix) throws Exception {
        try (Stream<Path> dirs = Files.list(tmp)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
                    .findFirst().orElseThrow();
        }
    }

    private static String[] concat(String[] head, String... tail) {
        return Stream.concat(Stream.of(head), Stream.of(tail)).toArray(String[]::new);
    }
}
