package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.ReliabilityLab.BACKUP_ADVICE;
import static dev.bbr.cli.e2e.ReliabilityLab.DEP;
import static dev.bbr.cli.e2e.ReliabilityLab.fail;
import static dev.bbr.cli.e2e.ReliabilityLab.unfail;

import dev.bbr.cli.e2e.FaultCheck.Artifact;
import dev.bbr.cli.e2e.FaultCheck.Outcome;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.VmFaults.TarMode;
import dev.bbr.lab.junit.LabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix (docs/reliability.md), in-process against the lab: one fault per test, on one VM
 * of three, then bbr's documented exit code and the {@link Invariants}, after the cleanup command
 * where bbr's contract is to leave state for it.
 */
@Tag("reliability")
class ReliabilityFaultsE2ETest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource(ReliabilityLab.LAB_FILE);

    @TempDir
    static Path shared;
    private static Path goodBackup;

    @TempDir
    Path tmp;

    private ReliabilityLab rl;
    private Path artifacts;

    @BeforeAll
    static void newTable() {
        ReliabilityMatrix.start("faults");
    }

    @BeforeEach
    void reset() throws IOException {
        rl = new ReliabilityLab(lab.get());
        rl.reset();
        artifacts = Files.createDirectories(tmp.resolve("backups"));
    }

    private Path goodBackup() throws IOException {
        if (goodBackup == null) {
            goodBackup = rl.goodBackup(shared.resolve("good"));
        }
        return goodBackup;
    }

    private void verify(FaultCheck check, Outcome outcome) {
        check.verify(outcome, rl.invariants, artifacts);
    }

    // ------------------------------------------------------------------ a script failing at every stage

    @Test
    void f01PreBackupLockFails() {
        fail(rl.db1(), "lock-recorder", "pre-backup-lock", "lock refused by the lab");
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F01", "pre-backup-lock fails on db/1").command("backup").exits(4)
                .artifact(Artifact.INCOMPLETE)
                .problemIf(!BackupE2eSupport.calls(rl.lab, DEP, "backup").isEmpty(), "backup scripts ran after a lock failure")
                .problemIf(BackupE2eSupport.calls(rl.lab, DEP, "post-backup-unlock").stream().anyMatch(c ->
                        !"false".equals(c.env().get("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL"))),
                        "an unlock was told the backup succeeded"), run);
    }

    @Test
    void f02BackupScriptFails() {
        fail(rl.app0(), "data", "backup", "disk on fire");
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F02", "backup script fails on app/0").command("backup").exits(1)
                .artifact(Artifact.INCOMPLETE), run);
    }

    @Test
    void f03PostBackupUnlockFails() {
        fail(rl.db1(), "lock-recorder", "post-backup-unlock", "unlock refused by the lab");
        Outcome run = rl.backup(artifacts);
        unfail(rl.db1());
        verify(FaultCheck.fault("F03", "post-backup-unlock fails on db/1").command("backup").exits(8)
                .advice(BACKUP_ADVICE).artifact(Artifact.COMPLETE)
                .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), run);
    }

    @Test
    void f04MetadataScriptFails() {
        fail(rl.app0(), "ordered-b", "metadata", "metadata exploded");
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F04", "metadata script fails on app/0").command("backup").exits(1)
                .artifact(Artifact.NONE), run);
    }

    @Test
    void f05PreRestoreLockFails() throws IOException {
        Path backup = goodBackup();
        fail(rl.db1(), "lock-recorder", "pre-restore-lock", "lock refused by the lab");
        Outcome run = rl.restore(backup);
        verify(FaultCheck.fault("F05", "pre-restore-lock fails on db/1").command("restore").exits(1)
                .problemIf(!BackupE2eSupport.calls(rl.lab, DEP, "restore").isEmpty(),
                        "restore scripts ran after a lock failure"), run);
    }

    @Test
    void f06RestoreScriptFails() throws IOException {
        Path backup = goodBackup();
        fail(rl.app0(), "data", "restore", "restore exploded");
        Outcome run = rl.restore(backup);
        verify(FaultCheck.fault("F06", "restore script fails on app/0").command("restore").exits(1), run);
    }

    @Test
    void f07PostRestoreUnlockFails() throws IOException {
        Path backup = goodBackup();
        fail(rl.db1(), "lock-recorder", "post-restore-unlock", "unlock refused by the lab");
        Outcome run = rl.restore(backup);
        unfail(rl.db1());
        // bbr prints no advice after a failed restore (only after Ctrl-C, yes): exit code 8 is the signal
        verify(FaultCheck.fault("F07", "post-restore-unlock fails on db/1").command("restore").exits(8)
                .thenCleanup("bbr deployment restore-cleanup", rl::restoreCleanup), run);
    }

    // ------------------------------------------------------------------ SSH

    @Test
    void f08ConnectionCutMidDrain() throws Exception {
        LabInstance db0 = rl.db0();
        db0.faults().stallTar(TarMode.CREATE, 16384);
        CompletableFuture<Outcome> run = ReliabilityLab.inBackground(() -> rl.backup(artifacts));
        BackupE2eSupport.waitFor("a drain from db/0 half way", 60, () -> db0.faults().tarStalled(TarMode.CREATE)
                || run.isDone());
        int cut = db0.faults().cutSshConnections();
        db0.faults().releaseTar();
        Outcome outcome = run.get();
        verify(FaultCheck.fault("F08", "SSH connection to db/0 cut mid-drain").command("backup").exits(1, 17)
                .advice(BACKUP_ADVICE).artifact(Artifact.INCOMPLETE)
                .problemIf(cut == 0, "no sshd process served the connection")
                .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), outcome);
    }

    @Test
    void f09ConnectionCutMidUpload() throws Exception {
        Path backup = goodBackup();
        LabInstance app0 = rl.app0();
        app0.faults().stallTar(TarMode.EXTRACT, 16384);
        CompletableFuture<Outcome> run = ReliabilityLab.inBackground(() -> rl.restore(backup));
        BackupE2eSupport.waitFor("an upload to app/0 half way", 60, () -> app0.faults().tarStalled(TarMode.EXTRACT)
                || run.isDone());
        int cut = app0.faults().cutSshConnections();
        app0.faults().releaseTar();
        Outcome outcome = run.get();
        verify(FaultCheck.fault("F09", "SSH connection to app/0 cut mid-upload").command("restore").exits(1, 17)
                .problemIf(cut == 0, "no sshd process served the connection")
                .problemIf(!BackupE2eSupport.calls(rl.lab, DEP, "restore").isEmpty(), "restore scripts ran")
                .thenCleanup("bbr deployment restore-cleanup", rl::restoreCleanup), outcome);
    }

    @Test
    void f10SshdDownBeforeConnect() {
        rl.db1().killSshd();
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F10", "sshd of db/1 down before bbr connects").command("backup").exits(1)
                .artifact(Artifact.NONE), run);
    }

    @Test
    void f11SshdAcceptsButNeverSpeaks() {
        rl.db1().faults().muteSsh();
        long started = System.nanoTime();
        Outcome run = rl.backup(artifacts);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        verify(FaultCheck.fault("F11", "db/1 accepts TCP on port 22 but never answers SSH").command("backup").exits(1)
                .artifact(Artifact.NONE)
                .problemIf(took.toSeconds() > 90, "bbr took " + took.toSeconds() + " s to give up"), run);
    }

    @Test
    void f12HostKeyChanged() {
        rl.lab.faults().foreignHostKey(DEP, "app", 0);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F12", "app/0's host key differs from the Director's report").command("backup")
                .exits(1).artifact(Artifact.NONE)
                .problemIf(!run.err().contains("Host key verification failed"), "the error does not name the host key"),
                run);
    }

    // ------------------------------------------------------------------ the Director

    @Test
    void f13DirectorAnswers500() {
        rl.lab.faults().httpStatus("GET", "/deployments/rel/vms", 500, -1);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F13", "Director answers 500 to every vms request").command("backup").exits(1)
                .artifact(Artifact.NONE), run);
    }

    @Test
    void f14DirectorBlipsAreRetried() {
        rl.lab.faults().httpStatus("GET", "/deployments/rel/vms", 503, 2);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F14", "Director answers 503 twice, then recovers").command("backup").exits(0)
                .artifact(Artifact.COMPLETE), run);
    }

    @Test
    void f15DirectorRefusesSshCleanupOnce() {
        // ssh setup twice (db, app), then the first cleanup gets 401: the token was revoked mid-run
        rl.lab.faults().httpStatusAfter("POST", "/deployments/rel/ssh", 401, 2, 1);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F15", "Director answers 401 to the first ssh cleanup").command("backup")
                .exits(0, 16).artifact(Artifact.COMPLETE)
                .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), run);
    }

    @Test
    void f16SshSetupFailsOnOneInstance() {
        rl.lab.faults().failSshSetup(DEP, "app", 0);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F16", "ssh setup fails on app/0").command("backup").exits(1)
                .artifact(Artifact.NONE), run);
    }

    @Test
    void f17DirectorTaskErrors() {
        rl.lab.faults().failNextTask("vms", "the Director fell over");
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F17", "the vms task ends in error").command("backup").exits(1)
                .artifact(Artifact.NONE), run);
    }

    @Test
    void f18DirectorDropsTheConnection() {
        rl.lab.faults().httpDrop("POST", "/deployments/rel/ssh", 1);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F18", "Director drops the connection of the first ssh setup").command("backup")
                .exits(1).artifact(Artifact.NONE), run);
    }

    @Test
    void f19SlowDirector() {
        rl.lab.faults().httpStall(null, "/tasks/.*", Duration.ofSeconds(2), 3);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F19", "Director answers task polls 2 s late").command("backup").exits(0)
                .artifact(Artifact.COMPLETE), run);
    }

    @Test
    void f20TokenExpiresMidRun() {
        rl.lab.faults().tokenTtl(Duration.ofSeconds(1));
        BackupE2eSupport.sleepScript(rl.app0(), "slow", "backup", 3);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F20", "UAA token (1 s) expires mid-run").command("backup").exits(0)
                .artifact(Artifact.COMPLETE), run);
    }

    // ------------------------------------------------------------------ disks

    @Test
    void f21JumpboxDiskTooSmall() throws Exception {
        // bbr measures what the drain needs before it starts (issue 18): refused before any byte is written
        try (SmallDisk disk = SmallDisk.mount(artifacts, 192)) {
            Outcome run = rl.backup(artifacts);
            verify(FaultCheck.fault("F21", "--artifact-path too small for the backup (192 KiB)").command("backup")
                    .exits(1).artifact(Artifact.NONE)
                    .problemIf(!run.err().contains("Not enough free space for the backup"), "the error does not say so"),
                    run);
        }
    }

    @Test
    void f32JumpboxDiskFillsDuringDrain() throws Exception {
        // another process eats the disk while db/0's drain is held half way: the space check had passed
        try (SmallDisk disk = SmallDisk.mount(artifacts, 4096)) {
            LabInstance db0 = rl.db0();
            db0.faults().stallTar(TarMode.CREATE, 16384);
            CompletableFuture<Outcome> run = ReliabilityLab.inBackground(() -> rl.backup(artifacts,
                    "--min-free-space", "off"));
            BackupE2eSupport.waitFor("a drain from db/0 half way", 60, () -> db0.faults().tarStalled(TarMode.CREATE)
                    || run.isDone());
            disk.fill();
            db0.faults().releaseTar();
            Outcome outcome = run.get();
            verify(FaultCheck.fault("F32", "--artifact-path fills up during the drain (another process)")
                    .command("backup").exits(1).advice(BACKUP_ADVICE).artifact(Artifact.INCOMPLETE)
                    .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), outcome);
        }
    }

    @Test
    void f22ArtifactDirectoryRemovedMidDrain() throws Exception {
        // the artifact path stops being writable under bbr: an over-eager cleanup job removes the backup
        // directory half way (a read-only remount is refused while bbr holds files open for writing)
        LabInstance db0 = rl.db0();
        db0.faults().stallTar(TarMode.CREATE, 16384);
        CompletableFuture<Outcome> run = ReliabilityLab.inBackground(() -> rl.backup(artifacts));
        BackupE2eSupport.waitFor("a drain from db/0 half way", 60, () -> db0.faults().tarStalled(TarMode.CREATE)
                || run.isDone());
        // bbr's other drains keep creating files in it: remove until it is gone
        BackupE2eSupport.waitFor("the backup directory gone", 20, () -> {
            try {
                Invariants.backups(artifacts).forEach(b -> dev.bbr.lab.Cmd.run("rm", "-rf", b.toString()));
                return Invariants.backups(artifacts).isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        db0.faults().releaseTar();
        Outcome outcome = run.get();
        verify(FaultCheck.fault("F22", "the backup directory is removed mid-drain").command("backup").exits(1)
                .advice(BACKUP_ADVICE)
                .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), outcome);
    }

    @Test
    void f23InstanceDiskFull() {
        rl.app0().faults().fillableStore(100);
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F23", "app/0's disk fills while its backup script writes").command("backup")
                .exits(1).artifact(Artifact.INCOMPLETE), run);
    }

    // ------------------------------------------------------------------ damaged or foreign artifacts

    @Test
    void f24TruncatedTar() throws Exception {
        Path copy = RestoreE2eSupport.copyBackup(goodBackup(), tmp);
        Path tar = copy.resolve("db-0-data.tar");
        byte[] bytes = Files.readAllBytes(tar);
        Files.write(tar, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        refusedRestore("F24", "restore from a truncated tar", copy);
    }

    @Test
    void f25FlippedByte() throws Exception {
        Path copy = RestoreE2eSupport.copyBackup(goodBackup(), tmp);
        Path tar = copy.resolve("app-0-data.tar");
        byte[] bytes = Files.readAllBytes(tar);
        bytes[3000] ^= 0x01;
        Files.write(tar, bytes);
        refusedRestore("F25", "restore from a tar with one flipped bit", copy);
    }

    @Test
    void f26TamperedMetadata() throws Exception {
        Path copy = RestoreE2eSupport.copyBackup(goodBackup(), tmp);
        Path metadata = copy.resolve("metadata");
        String text = Files.readString(metadata);
        int at = text.indexOf(": ", text.indexOf("checksums:")) + 2;
        char c = text.charAt(at);
        Files.writeString(metadata, text.substring(0, at) + (c == 'a' ? 'b' : 'a') + text.substring(at + 1));
        refusedRestore("F26", "restore with a tampered metadata checksum", copy);
    }

    @Test
    void f27MissingArtifactFile() throws Exception {
        Path copy = RestoreE2eSupport.copyBackup(goodBackup(), tmp);
        Files.delete(copy.resolve("db-1-lock-recorder.tar"));
        refusedRestore("F27", "restore with an artifact file missing", copy);
    }

    @Test
    void f28ArtifactOfAnotherShape() throws Exception {
        // the backup names an instance group (cache) that rel does not have: only discovery can tell,
        // so metadata scripts run, but nothing is uploaded, locked or restored
        Path copy = RestoreE2eSupport.copyBackup(goodBackup(), tmp);
        Files.writeString(copy.resolve("metadata"), Files.readString(copy.resolve("metadata"))
                .replace("- name: app\n", "- name: cache\n"));
        try (java.util.stream.Stream<Path> tars = Files.list(copy)) {
            for (Path tar : tars.filter(p -> p.getFileName().toString().startsWith("app-")).toList()) {
                Files.move(tar, tar.resolveSibling(tar.getFileName().toString().replaceFirst("^app-", "cache-")));
            }
        }
        Outcome run = rl.restore(copy);
        verify(FaultCheck.fault("F28", "restore of a backup of another shape (group cache/0 not in rel)")
                .command("restore").exits(1)
                .problemIf(!run.err().contains("does not match the structure of the provided backup"),
                        "the error does not say the shape differs")
                .problemIf(BackupE2eSupport.calls(rl.lab, DEP).stream().anyMatch(c -> !c.script().equals("metadata")),
                        "scripts other than metadata ran"), run);
    }

    @Test
    void f29IncompleteBackup() throws Exception {
        fail(rl.app0(), "data", "backup", "disk on fire");
        Path failed = Files.createDirectories(tmp.resolve("failed"));
        rl.backup(failed);
        rl.reset();
        refusedRestore("F29", "restore from a backup marked BACKUP-INCOMPLETE", Invariants.backups(failed).get(0));
    }

    /** A damaged or foreign artifact: refused before any lock, upload or restore script. */
    private void refusedRestore(String id, String fault, Path backup) {
        Outcome run = rl.restore(backup);
        verify(FaultCheck.fault(id, fault).command("restore").exits(1)
                .problemIf(!BackupE2eSupport.calls(rl.lab, DEP).isEmpty(), "scripts ran on the instances")
                .problemIf(RestoreE2eSupport.stateChangingRequests(rl.lab).stream().anyMatch(r -> r.contains("/ssh")),
                        "the Director was asked for ssh access"), run);
    }

    // ------------------------------------------------------------------ leftovers and concurrency

    @Test
    void f30LeftoverArtifactDirectory() {
        rl.db1().exec("mkdir -p /var/vcap/store/bbr-backup/data").orThrow("leftover");
        Outcome run = rl.backup(artifacts);
        verify(FaultCheck.fault("F30", "/var/vcap/store/bbr-backup left on db/1 by an earlier run").command("backup")
                .exits(1).advice(BACKUP_ADVICE).artifact(Artifact.NONE)
                .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), run);
    }

    @Test
    void f31SecondBackupOfTheSameDeployment() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "slow", "backup", 4);
        CompletableFuture<Outcome> first = ReliabilityLab.inBackground(() -> rl.backup(artifacts));
        BackupE2eSupport.waitFor("the first backup's slow script", 60, () -> BackupE2eSupport.calls(rl.lab, DEP,
                "backup").stream().anyMatch(c -> c.job().equals("slow")) || first.isDone());
        Outcome second = rl.backup(artifacts);
        Outcome firstOutcome = first.get();
        verify(FaultCheck.fault("F31", "a second backup of rel while the first runs").command("backup").exits(32)
                .artifact(Artifact.COMPLETE)
                .problemIf(firstOutcome.exit() != 0, "the first backup failed: " + firstOutcome.describe()), second);
    }
}
