package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.ReliabilityLab.BACKUP_ADVICE;
import static dev.bbr.cli.e2e.ReliabilityLab.DEP;
import static dev.bbr.cli.e2e.ReliabilityLab.RESTORE_ADVICE;

import dev.bbr.cli.e2e.BackupE2eSupport.Bbr;
import dev.bbr.cli.e2e.FaultCheck.Artifact;
import dev.bbr.cli.e2e.FaultCheck.Outcome;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.VmFaults.TarMode;
import dev.bbr.lab.junit.LabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interruption rows of the fault matrix: bbr as a separate process, stopped in each phase by
 * SIGINT (answered yes or no), SIGTERM, SIGHUP or SIGKILL, in deployment, {@code --all-deployments}
 * and director mode. A signal bbr handles must leave the {@link Invariants} holding on its own; after
 * SIGKILL, which nothing can handle, the cleanup command must restore them.
 */
@Tag("reliability")
class ReliabilityInterruptionsE2ETest {
    private static final String BACKUP_QUESTION = "Stopping a backup can leave the system in bad state. Are you sure"
            + " you want to cancel? [yes/no]";
    private static final String RESTORE_QUESTION = "Stopping a restore can leave the system in bad state. Are you"
            + " sure you want to cancel? [yes/no]";
    /** Long enough that a test catches the script, short enough that an orphan goes away within the suite. */
    private static final int HOLD_SECONDS = 40;

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource(ReliabilityLab.LAB_FILE);

    @TempDir
    static Path shared;
    private static Path goodBackup;
    private static Path directorBackup;

    @TempDir
    Path tmp;

    private ReliabilityLab rl;
    private Path artifacts;

    @BeforeAll
    static void newTable() {
        ReliabilityMatrix.start("interruptions");
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

    // ------------------------------------------------------------------ how a row is run

    /** How the process is stopped. */
    private enum Stop {
        SIGINT_YES, SIGINT_NO, SIGTERM, SIGHUP, SIGKILL;

        String label() {
            return switch (this) {
                case SIGINT_YES -> "Ctrl-C, yes";
                case SIGINT_NO -> "Ctrl-C, no";
                default -> name();
            };
        }
    }

    private Bbr start(String... args) throws IOException {
        return start(List.of(), args);
    }

    private Bbr start(List<String> jvm, String... args) throws IOException {
        ProcessBuilder pb = BackupE2eSupport.subprocess(rl.lab, jvm, args);
        pb.environment().put("BOSH_DEPLOYMENT", DEP);
        pb.directory(tmp.toFile());
        return new Bbr(pb);
    }

    /** Waits for the phase, stops bbr the given way, and returns how it ended. */
    private Outcome stopIn(Bbr bbr, String phase, BooleanSupplier reached, Stop stop, String question)
            throws Exception {
        BackupE2eSupport.waitFor(phase, 90, () -> reached.getAsBoolean() || !bbr.process.isAlive());
        if (!bbr.process.isAlive()) {
            throw new AssertionError("bbr ended before the " + phase + "\n" + bbr.out() + "\n" + bbr.err());
        }
        switch (stop) {
            case SIGINT_YES, SIGINT_NO -> {
                bbr.signal("INT");
                BackupE2eSupport.waitFor("the question", 20, () -> bbr.rawOut().contains(question));
                bbr.answer(stop == Stop.SIGINT_YES ? "yes\n" : "no\n");
            }
            case SIGTERM -> bbr.signal("TERM");
            case SIGHUP -> bbr.signal("HUP");
            case SIGKILL -> bbr.signal("KILL");
        }
        return new Outcome(bbr.await(120), bbr.out(), bbr.err());
    }

    private boolean scriptRunning(String deployment, String job, String script) {
        return BackupE2eSupport.calls(rl.lab, deployment, script).stream().anyMatch(c -> c.job().equals(job));
    }

    /** Releases held transfers and lets the matrix judge. */
    private void verify(FaultCheck check, Outcome outcome) {
        rl.lab.allVms().forEach(vm -> vm.faults().releaseTar());
        check.verify(outcome, rl.invariants, artifacts);
    }

    private FaultCheck row(String id, Stop stop, String phase, String command) {
        return FaultCheck.interruption(id, stop.label() + " during " + phase).command(command);
    }

    private String[] backupArgs() {
        return new String[] {"deployment", "-d", DEP, "backup", "--artifact-path", artifacts.toString()};
    }

    // ------------------------------------------------------------------ backup of one deployment

    @Test
    void i01SigtermWhileDiscovering() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "ordered-b", "metadata", HOLD_SECONDS);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "metadata script", () -> scriptRunning(DEP, "ordered-b", "metadata"),
                    Stop.SIGTERM, null);
            verify(row("I01", Stop.SIGTERM, "discovery (a metadata script)", "backup").exits(1)
                    .artifact(Artifact.NONE), out);
        }
    }

    @Test
    void i02CtrlCYesWhileLocking() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "lock-recorder", "pre-backup-lock", HOLD_SECONDS);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "pre-backup-lock", () -> scriptRunning(DEP, "lock-recorder", "pre-backup-lock"),
                    Stop.SIGINT_YES, BACKUP_QUESTION);
            verify(row("I02", Stop.SIGINT_YES, "pre-backup-lock", "backup").exits(1).advice(BACKUP_ADVICE)
                    .artifact(Artifact.INCOMPLETE), out);
        }
    }

    @Test
    void i03CtrlCNoWhileLocking() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "lock-recorder", "pre-backup-lock", 3);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "pre-backup-lock", () -> scriptRunning(DEP, "lock-recorder", "pre-backup-lock"),
                    Stop.SIGINT_NO, BACKUP_QUESTION);
            verify(row("I03", Stop.SIGINT_NO, "pre-backup-lock", "backup").exits(0).artifact(Artifact.COMPLETE), out);
        }
    }

    @Test
    void i04SighupWhileBackingUp() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "slow", "backup", HOLD_SECONDS);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "backup script", () -> scriptRunning(DEP, "slow", "backup"), Stop.SIGHUP, null);
            verify(row("I04", Stop.SIGHUP, "the backup scripts", "backup").exits(1).advice(BACKUP_ADVICE)
                    .artifact(Artifact.INCOMPLETE), out);
        }
    }

    @Test
    void i05SigtermWhileDraining() throws Exception {
        LabInstance db0 = rl.db0();
        db0.faults().stallTar(TarMode.CREATE, 16384);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "drain", () -> db0.faults().tarStalled(TarMode.CREATE), Stop.SIGTERM, null);
            verify(row("I05", Stop.SIGTERM, "the drain", "backup").exits(1).advice(BACKUP_ADVICE)
                    .artifact(Artifact.INCOMPLETE), out);
        }
    }

    @Test
    void i06CtrlCYesWhileDraining() throws Exception {
        LabInstance app0 = rl.app0();
        app0.faults().stallTar(TarMode.CREATE, 16384);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "drain", () -> app0.faults().tarStalled(TarMode.CREATE), Stop.SIGINT_YES,
                    BACKUP_QUESTION);
            verify(row("I06", Stop.SIGINT_YES, "the drain", "backup").exits(1).advice(BACKUP_ADVICE)
                    .artifact(Artifact.INCOMPLETE), out);
        }
    }

    @Test
    void i07SigtermWhileUnlocking() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "lock-recorder", "post-backup-unlock", 4);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "post-backup-unlock", () -> scriptRunning(DEP, "lock-recorder",
                    "post-backup-unlock"), Stop.SIGTERM, null);
            verify(row("I07", Stop.SIGTERM, "post-backup-unlock", "backup").exits(1).advice(BACKUP_ADVICE)
                    .artifact(Artifact.INCOMPLETE), out);
        }
    }

    @Test
    void i08SigtermWhileCleaningUp() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "slow", "backup", 2);
        try (Bbr bbr = start(backupArgs())) {
            BackupE2eSupport.waitFor("the backup scripts", 60, () -> scriptRunning(DEP, "slow", "backup")
                    || !bbr.process.isAlive());
            // both ssh setups are done: hold the ssh cleanups at the Director
            rl.lab.faults().httpStall("POST", "/deployments/rel/ssh", java.time.Duration.ofSeconds(3), 2);
            Outcome out = stopIn(bbr, "ssh cleanup", () -> rl.lab.requests().stream()
                    .filter(r -> r.line().equals("POST /deployments/rel/ssh")).count() >= 3, Stop.SIGTERM, null);
            verify(row("I08", Stop.SIGTERM, "the final cleanup (ssh cleanup held by the Director)", "backup")
                    .exits(1), out);
        }
    }

    // ------------------------------------------------------------------ the other commands and modes

    @Test
    void i09CtrlCYesInPreBackupCheck() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "ordered-b", "metadata", HOLD_SECONDS);
        try (Bbr bbr = start("deployment", "-d", DEP, "pre-backup-check")) {
            Outcome out = stopIn(bbr, "metadata script", () -> scriptRunning(DEP, "ordered-b", "metadata"),
                    Stop.SIGINT_YES, BACKUP_QUESTION);
            verify(row("I09", Stop.SIGINT_YES, "discovery", "pre-backup-check").exits(1), out);
        }
    }

    @Test
    void i10SigtermInBackupCleanup() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "lock-recorder", "post-backup-unlock", 4);
        try (Bbr bbr = start("deployment", "-d", DEP, "backup-cleanup")) {
            Outcome out = stopIn(bbr, "post-backup-unlock", () -> scriptRunning(DEP, "lock-recorder",
                    "post-backup-unlock"), Stop.SIGTERM, null);
            // stopping a cleanup means finishing it: it may end 0 (done) or 1 (stopped), never leave state
            verify(row("I10", Stop.SIGTERM, "post-backup-unlock", "backup-cleanup").exits(0, 1), out);
        }
    }

    @Test
    void i11SigtermAllDeploymentsWhileDraining() throws Exception {
        LabInstance alpha = rl.lab.instance("alpha", "db", 0);
        alpha.faults().stallTar(TarMode.CREATE, 2048);
        List<String> args = new ArrayList<>(List.of("deployment", "--all-deployments", "backup", "--artifact-path",
                artifacts.toString()));
        ProcessBuilder pb = BackupE2eSupport.subprocess(rl.lab, List.of(), args.toArray(String[]::new));
        pb.environment().remove("BOSH_DEPLOYMENT");
        pb.directory(tmp.toFile());
        try (Bbr bbr = new Bbr(pb)) {
            Outcome out = stopIn(bbr, "alpha's drain", () -> alpha.faults().tarStalled(TarMode.CREATE), Stop.SIGTERM,
                    null);
            verify(row("I11", Stop.SIGTERM, "alpha's drain", "--all-deployments backup").exits(1)
                    .advice("It is recommended that you run `bbr deployment --all-deployments backup-cleanup`"), out);
        }
    }

    @Test
    void i12SighupDirectorBackupWhileLocking() throws Exception {
        LabInstance director = rl.lab.directorVm();
        BackupE2eSupport.sleepScript(director, "lock-recorder", "pre-backup-lock", HOLD_SECONDS);
        try (Bbr bbr = start(directorJvm(), directorArgs("backup", "--artifact-path", artifacts.toString()))) {
            Outcome out = stopIn(bbr, "the director's pre-backup-lock", () -> scriptRunning(Lab.DIRECTOR_VM,
                    "lock-recorder", "pre-backup-lock"), Stop.SIGHUP, null);
            verify(row("I12", Stop.SIGHUP, "pre-backup-lock", "director backup").exits(1).advice(BACKUP_ADVICE)
                    .artifact(Artifact.INCOMPLETE), out);
        }
    }

    // ------------------------------------------------------------------ restore

    @Test
    void i13CtrlCYesWhileUploading() throws Exception {
        Path backup = goodBackup();
        LabInstance db1 = rl.db1();
        db1.faults().stallTar(TarMode.EXTRACT, 16384);
        try (Bbr bbr = start("deployment", "-d", DEP, "restore", "--artifact-path", backup.toString())) {
            Outcome out = stopIn(bbr, "upload", () -> db1.faults().tarStalled(TarMode.EXTRACT), Stop.SIGINT_YES,
                    RESTORE_QUESTION);
            verify(row("I13", Stop.SIGINT_YES, "the upload", "restore").exits(1).advice(RESTORE_ADVICE), out);
        }
    }

    @Test
    void i14SighupWhileLockingForRestore() throws Exception {
        Path backup = goodBackup();
        BackupE2eSupport.sleepScript(rl.app0(), "lock-recorder", "pre-restore-lock", HOLD_SECONDS);
        try (Bbr bbr = start("deployment", "-d", DEP, "restore", "--artifact-path", backup.toString())) {
            Outcome out = stopIn(bbr, "pre-restore-lock", () -> scriptRunning(DEP, "lock-recorder",
                    "pre-restore-lock"), Stop.SIGHUP, null);
            verify(row("I14", Stop.SIGHUP, "pre-restore-lock", "restore").exits(1).advice(RESTORE_ADVICE), out);
        }
    }

    @Test
    void i15SigtermWhileRestoring() throws Exception {
        Path backup = goodBackup();
        BackupE2eSupport.sleepScript(rl.app0(), "slow", "restore", HOLD_SECONDS);
        try (Bbr bbr = start("deployment", "-d", DEP, "restore", "--artifact-path", backup.toString())) {
            Outcome out = stopIn(bbr, "restore script", () -> scriptRunning(DEP, "slow", "restore"), Stop.SIGTERM,
                    null);
            verify(row("I15", Stop.SIGTERM, "the restore scripts", "restore").exits(1).advice(RESTORE_ADVICE), out);
        }
    }

    @Test
    void i16SigtermWhileUnlockingAfterRestore() throws Exception {
        Path backup = goodBackup();
        BackupE2eSupport.sleepScript(rl.app0(), "lock-recorder", "post-restore-unlock", 4);
        try (Bbr bbr = start("deployment", "-d", DEP, "restore", "--artifact-path", backup.toString())) {
            Outcome out = stopIn(bbr, "post-restore-unlock", () -> scriptRunning(DEP, "lock-recorder",
                    "post-restore-unlock"), Stop.SIGTERM, null);
            verify(row("I16", Stop.SIGTERM, "post-restore-unlock", "restore").exits(1).advice(RESTORE_ADVICE), out);
        }
    }

    @Test
    void i17CtrlCYesDirectorRestore() throws Exception {
        LabInstance director = rl.lab.directorVm();
        Path backup = directorBackup();
        BackupE2eSupport.sleepScript(director, "slow", "restore", HOLD_SECONDS);
        try (Bbr bbr = start(directorJvm(), directorArgs("restore", "--artifact-path", backup.toString()))) {
            Outcome out = stopIn(bbr, "the director's restore script", () -> scriptRunning(Lab.DIRECTOR_VM, "slow",
                    "restore"), Stop.SIGINT_YES, RESTORE_QUESTION);
            verify(row("I17", Stop.SIGINT_YES, "the restore scripts", "director restore").exits(1)
                    .advice(RESTORE_ADVICE), out);
        }
    }

    // ------------------------------------------------------------------ kill -9, then the cleanup command

    @Test
    void k01KilledWhileDiscovering() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "ordered-b", "metadata", HOLD_SECONDS);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "metadata script", () -> scriptRunning(DEP, "ordered-b", "metadata"),
                    Stop.SIGKILL, null);
            verify(killed("K01", "discovery (a metadata script)", "backup")
                    .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), out);
        }
    }

    @Test
    void k02KilledWhileLocking() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "lock-recorder", "pre-backup-lock", HOLD_SECONDS);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "pre-backup-lock", () -> scriptRunning(DEP, "lock-recorder", "pre-backup-lock"),
                    Stop.SIGKILL, null);
            verify(killed("K02", "pre-backup-lock", "backup").artifact(Artifact.INCOMPLETE)
                    .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), out);
        }
    }

    @Test
    void k03KilledWhileBackingUp() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "slow", "backup", HOLD_SECONDS);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "backup script", () -> scriptRunning(DEP, "slow", "backup"), Stop.SIGKILL, null);
            verify(killed("K03", "the backup scripts", "backup").artifact(Artifact.INCOMPLETE)
                    .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), out);
        }
    }

    @Test
    void k04KilledWhileDraining() throws Exception {
        LabInstance db1 = rl.db1();
        db1.faults().stallTar(TarMode.CREATE, 16384);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "drain", () -> db1.faults().tarStalled(TarMode.CREATE), Stop.SIGKILL, null);
            db1.faults().releaseTar();
            verify(killed("K04", "the drain", "backup").artifact(Artifact.INCOMPLETE)
                    .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), out);
        }
    }

    @Test
    void k05KilledWhileUnlocking() throws Exception {
        BackupE2eSupport.sleepScript(rl.app0(), "lock-recorder", "post-backup-unlock", 4);
        try (Bbr bbr = start(backupArgs())) {
            Outcome out = stopIn(bbr, "post-backup-unlock", () -> scriptRunning(DEP, "lock-recorder",
                    "post-backup-unlock"), Stop.SIGKILL, null);
            verify(killed("K05", "post-backup-unlock", "backup").artifact(Artifact.INCOMPLETE)
                    .thenCleanup("bbr deployment backup-cleanup", rl::backupCleanup), out);
        }
    }

    @Test
    void k06KilledWhileUploading() throws Exception {
        Path backup = goodBackup();
        LabInstance app0 = rl.app0();
        app0.faults().stallTar(TarMode.EXTRACT, 16384);
        try (Bbr bbr = start("deployment", "-d", DEP, "restore", "--artifact-path", backup.toString())) {
            Outcome out = stopIn(bbr, "upload", () -> app0.faults().tarStalled(TarMode.EXTRACT), Stop.SIGKILL, null);
            app0.faults().releaseTar();
            verify(killed("K06", "the upload", "restore")
                    .thenCleanup("bbr deployment restore-cleanup", rl::restoreCleanup), out);
        }
    }

    @Test
    void k07KilledWhileRestoring() throws Exception {
        Path backup = goodBackup();
        BackupE2eSupport.sleepScript(rl.app0(), "slow", "restore", HOLD_SECONDS);
        try (Bbr bbr = start("deployment", "-d", DEP, "restore", "--artifact-path", backup.toString())) {
            Outcome out = stopIn(bbr, "restore script", () -> scriptRunning(DEP, "slow", "restore"), Stop.SIGKILL,
                    null);
            verify(killed("K07", "the restore scripts", "restore")
                    .thenCleanup("bbr deployment restore-cleanup", rl::restoreCleanup), out);
        }
    }

    @Test
    void k08KilledDirectorBackupWhileBackingUp() throws Exception {
        LabInstance director = rl.lab.directorVm();
        BackupE2eSupport.sleepScript(director, "slow", "backup", HOLD_SECONDS);
        try (Bbr bbr = start(directorJvm(), directorArgs("backup", "--artifact-path", artifacts.toString()))) {
            Outcome out = stopIn(bbr, "the director's backup script", () -> scriptRunning(Lab.DIRECTOR_VM, "slow",
                    "backup"), Stop.SIGKILL, null);
            verify(killed("K08", "the backup scripts", "director backup").artifact(Artifact.INCOMPLETE)
                    .thenCleanup("bbr director backup-cleanup", () -> directorInProcess("backup-cleanup")), out);
        }
    }

    private FaultCheck killed(String id, String phase, String command) {
        return row(id, Stop.SIGKILL, phase, command).exits(137);
    }

    // ------------------------------------------------------------------ director mode

    private String[] directorArgs(String... tail) {
        List<String> args = new ArrayList<>(List.of("director", "--host", rl.lab.env().get("LAB_DIRECTOR_VM_HOST"),
                "-u", rl.lab.env().get("LAB_DIRECTOR_VM_USER"), "--key", rl.lab.env().get("LAB_DIRECTOR_VM_KEY")));
        args.addAll(List.of(tail));
        return args.toArray(String[]::new);
    }

    /** A home of its own, so trust-on-first-use of the director VM's key never touches the real known_hosts. */
    private List<String> directorJvm() throws IOException {
        return List.of("-Duser.home=" + Files.createDirectories(tmp.resolve("home")));
    }

    /** In this JVM, with user.home pointed at the test's home (the real known_hosts is never read). */
    private Outcome directorInProcess(String... tail) {
        String saved = System.getProperty("user.home");
        try {
            System.setProperty("user.home", Files.createDirectories(tmp.resolve("home")).toString());
            return Outcome.of(rl.bbr(directorArgs(tail)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    private Path directorBackup() throws IOException {
        if (directorBackup == null) {
            Path into = Files.createDirectories(shared.resolve("director"));
            Outcome made = directorInProcess("backup", "--artifact-path", into.toString());
            if (made.exit() != 0) {
                throw new AssertionError("the director backup to restore from failed\n" + made.describe());
            }
            rl.reset();
            directorBackup = Invariants.backups(into).get(0);
        }
        return directorBackup;
    }
}
