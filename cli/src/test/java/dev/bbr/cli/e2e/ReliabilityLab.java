package dev.bbr.cli.e2e;

import dev.bbr.cli.CliRun;
import dev.bbr.cli.e2e.FaultCheck.Outcome;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The reliability suite's view of its lab (labs/reliability.yml): the deployment {@code rel} of three
 * VMs (db/0, db/1, app/0), bbr runs against it in-process, and a reset that puts every VM back.
 */
final class ReliabilityLab {
    static final String LAB_FILE = "labs/reliability.yml";
    static final String DEP = "rel";
    static final String BACKUP_ADVICE = BackupE2eSupport.ADVICE;
    static final String RESTORE_ADVICE = "It is recommended that you run `bbr restore-cleanup` to ensure that any temp"
            + " files are cleaned up and all jobs are unlocked.";
    /** ordered-a is locked before ordered-b, in backup and restore. */
    static final Map<String, String> LOCKED_BEFORE = Map.of("ordered-a", "ordered-b");

    final Lab lab;
    final Invariants invariants;

    ReliabilityLab(Lab lab) {
        this.lab = lab;
        this.invariants = new Invariants(lab, LOCKED_BEFORE);
    }

    LabInstance db0() {
        return lab.instance(DEP, "db", 0);
    }

    LabInstance db1() {
        return lab.instance(DEP, "db", 1);
    }

    LabInstance app0() {
        return lab.instance(DEP, "app", 0);
    }

    /** Every VM back to its pristine state: no faults, knobs, leftovers or logs; the Director's faults off. */
    void reset() {
        lab.faults().clear();
        for (LabInstance vm : lab.allVms()) {
            vm.faults().clear();
            vm.exec("set -e; for m in $(awk '$2 ~ \"^/var/vcap/store/bbr-backup\" {print $2}' /proc/self/mounts); do"
                    + " umount \"$m\"; done; rm -rf /var/vcap/store/bbr-backup /var/vcap/store/lab-fail"
                    + " /var/vcap/store/lab-sleep /var/vcap/store/lab-params /var/vcap/store/fail-*"
                    + " /var/vcap/sys/run/lab/tar-stalled-*;"
                    + " rm -f /var/vcap/sys/log/lab/calls.log /var/vcap/sys/log/lock-recorder/locks.log")
                    .orThrow("reset " + vm.name());
        }
        // a case that failed must not fail every later one: its leftover temporary users go too
        for (LabInstance vm : lab.allVms()) {
            vm.exec("rm -rf /var/vcap/bosh_ssh/bosh_*").orThrow("remove leftover users on " + vm.name());
        }
        lab.boshUsers().forEach(dev.bbr.lab.vm.OsUsers::removeUser);
        lab.clearRequests();
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(lab.env());
        env.put("BOSH_DEPLOYMENT", DEP);
        return env;
    }

    CliRun bbr(String... args) {
        return CliRun.run(null, env(), args);
    }

    Outcome run(String... args) {
        return Outcome.of(bbr(args));
    }

    Outcome backup(Path artifacts, String... extra) {
        List<String> args = new ArrayList<>(List.of("deployment", "-d", DEP, "backup", "--artifact-path",
                artifacts.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    Outcome restore(Path backup, String... extra) {
        List<String> args = new ArrayList<>(List.of("deployment", "-d", DEP, "restore", "--artifact-path",
                backup.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    Outcome backupCleanup() {
        return run("deployment", "-d", DEP, "backup-cleanup");
    }

    Outcome restoreCleanup() {
        return run("deployment", "-d", DEP, "restore-cleanup");
    }

    /** A run in the background, so a test can act while it is in a given phase. */
    static CompletableFuture<Outcome> inBackground(java.util.function.Supplier<Outcome> run) {
        return CompletableFuture.supplyAsync(run);
    }

    /** A good backup of {@code rel} in its own directory, then the lab reset (logs, requests) for the test. */
    Path goodBackup(Path into) throws IOException {
        Files.createDirectories(into);
        Outcome made = backup(into);
        if (made.exit() != 0) {
            throw new AssertionError("the backup to restore from failed\n" + made.describe());
        }
        reset();
        return Invariants.backups(into).get(0);
    }

    /** Makes {@code job}'s {@code script} fail on the VM with this stderr. */
    static void fail(LabInstance vm, String job, String script, String message) {
        BackupE2eSupport.failScript(vm, job, script, message);
    }

    /** Undoes {@link #fail} (a transient fault that has gone away). */
    static void unfail(LabInstance vm) {
        vm.exec("rm -rf /var/vcap/store/lab-fail").orThrow("unfail " + vm.name());
    }
}
