package dev.bbr.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.e2e.FaultCheck.Outcome;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak (docs/reliability.md): consecutive backups and restores of one deployment, bbr in this
 * JVM, a random fault in about a third of the rounds. After every round the {@link Invariants} hold
 * (after the cleanup command when bbr asked for it) and every backup that succeeded verifies; at the
 * end bbr has leaked no threads and no file descriptors. CI runs the small size (6 rounds, 3 VMs);
 * {@code -Dbbr.soak.size=full} runs 100 rounds against 10 VMs. {@code -Dbbr.soak.seed} replays a run.
 */
@Tag("reliability")
class ReliabilitySoakE2ETest {
    private static final boolean FULL = "full".equals(System.getProperty("bbr.soak.size",
            System.getenv().getOrDefault("BBR_SOAK_SIZE", "smoke")));
    private static final int ROUNDS = Integer.getInteger("bbr.soak.rounds", FULL ? 100 : 6);
    /** Threads bbr may legitimately keep (lazily started daemons such as the SSH handshake timer). */
    private static final int THREAD_SLACK = 3;
    private static final int FD_SLACK = 8;

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource(FULL ? "labs/reliability-soak-full.yml"
            : ReliabilityLab.LAB_FILE);

    @TempDir
    Path tmp;

    /** A fault of a round: its name and how it is put on the lab. */
    private record Fault(String name, Consumer<ReliabilityLab> apply) {}

    private static List<Fault> faults() {
        return List.of(
                new Fault("backup script fails on app/0", rl -> ReliabilityLab.fail(rl.app0(), "data", "backup", "soak")),
                new Fault("pre-backup-lock fails on db/1", rl -> ReliabilityLab.fail(rl.db1(), "lock-recorder",
                        "pre-backup-lock", "soak")),
                new Fault("post-backup-unlock fails on db/0", rl -> ReliabilityLab.fail(rl.db0(), "lock-recorder",
                        "post-backup-unlock", "soak")),
                new Fault("sshd of db/1 down", rl -> rl.db1().killSshd()),
                new Fault("ssh setup fails on app/0", rl -> rl.lab.faults().failSshSetup(ReliabilityLab.DEP, "app", 0)),
                new Fault("Director answers 503 twice", rl -> rl.lab.faults().httpStatus("GET",
                        "/deployments/rel/vms", 503, 2)),
                new Fault("restore script fails on db/0", rl -> ReliabilityLab.fail(rl.db0(), "data", "restore", "soak")));
    }

    @Test
    void roundsOfBackupAndRestoreWithRandomFaultsLeaveNothingBehind() throws Exception {
        long seed = Long.getLong("bbr.soak.seed", System.nanoTime());
        Random random = new Random(seed);
        ReliabilityLab rl = new ReliabilityLab(lab.get());
        ReliabilityMatrix.start("soak");

        // one clean round first, so lazily started threads and caches count as the baseline
        round(rl, -1, null);
        long threadsBefore = threads();
        long fdsBefore = openFds();

        List<String> problems = new ArrayList<>();
        int faulted = 0;
        int verified = 0;
        for (int i = 0; i < ROUNDS; i++) {
            Fault fault = random.nextInt(3) == 0 ? faults().get(random.nextInt(faults().size())) : null;
            faulted += fault == null ? 0 : 1;
            RoundResult r = round(rl, i, fault);
            problems.addAll(r.problems());
            verified += r.verifiedBackup() ? 1 : 0;
        }

        long threadsAfter = settle(ReliabilitySoakE2ETest::threads, threadsBefore + THREAD_SLACK);
        long fdsAfter = settle(ReliabilitySoakE2ETest::openFds, fdsBefore + FD_SLACK);
        String summary = ROUNDS + " rounds (seed " + seed + "), " + faulted + " with a fault, " + verified
                + " backups verified; threads " + threadsBefore + " -> " + threadsAfter + ", fds " + fdsBefore
                + " -> " + fdsAfter;
        ReliabilityMatrix.record("soak", new ReliabilityMatrix.Row("SOAK", summary, "backup+restore", "",
                problems.isEmpty() && threadsAfter <= threadsBefore + THREAD_SLACK && fdsAfter <= fdsBefore + FD_SLACK
                        ? "held" : "FAILED: " + String.join("; ", problems)));
        assertThat(problems).as(summary).isEmpty();
        assertThat(threadsAfter).as("threads after the soak: " + summary).isLessThanOrEqualTo(threadsBefore + THREAD_SLACK);
        assertThat(fdsAfter).as("open fds after the soak: " + summary).isLessThanOrEqualTo(fdsBefore + FD_SLACK);
        assertThat(verified).as("backups that verified: " + summary).isPositive();
    }

    private record RoundResult(List<String> problems, boolean verifiedBackup) {}

    /** One backup (and, if it succeeded, a restore of it) under the fault; then the invariants. */
    private RoundResult round(ReliabilityLab rl, int i, Fault fault) throws IOException {
        rl.reset();
        Path artifacts = Files.createDirectories(tmp.resolve("round-" + (i + 1)));
        String label = "round " + (i + 1) + (fault == null ? "" : " (" + fault.name() + ")");
        if (fault != null) {
            fault.apply().accept(rl);
        }
        List<String> problems = new ArrayList<>();
        Outcome backup = rl.backup(artifacts);
        problems.addAll(cleanupIfAdvised(rl, backup, ReliabilityLab.BACKUP_ADVICE, rl::backupCleanup, label));
        problems.addAll(FaultCheck.stackTraceProblems(backup).stream().map(p -> label + ": " + p).toList());
        problems.addAll(rl.invariants.violations(artifacts).stream().map(v -> label + ", backup: " + v).toList());
        boolean verified = false;
        if (backup.exit() == 0) {
            verified = Invariants.verify(Invariants.backups(artifacts).get(0)).exitCode() == 0;
            Outcome restore = rl.restore(Invariants.backups(artifacts).get(0));
            problems.addAll(cleanupIfAdvised(rl, restore, ReliabilityLab.RESTORE_ADVICE, rl::restoreCleanup, label));
            boolean restoreFaulted = fault != null && fault.name().startsWith("restore");
            if (restore.exit() != 0 && !restoreFaulted) {
                problems.add(label + ": restore exited " + restore.exit() + "\n" + restore.describe());
            }
            problems.addAll(rl.invariants.violations(null).stream().map(v -> label + ", restore: " + v).toList());
        } else if (fault == null) {
            problems.add(label + ": backup without a fault exited " + backup.exit() + "\n" + backup.describe());
        }
        // the VMs are left as found (sshd back, faults off) before the next round
        rl.lab.allVms().forEach(vm -> vm.faults().clear());
        if (i >= 0) {
            ReliabilityMatrix.record("soak", new ReliabilityMatrix.Row("R" + (i + 1), fault == null ? "none"
                    : fault.name(), "backup+restore", Integer.toString(backup.exit()),
                    problems.isEmpty() ? (verified ? "held, backup verified" : "held") : "FAILED: " + problems));
        }
        deleteTree(artifacts);
        return new RoundResult(problems, verified);
    }

    /** bbr's contract: when it prints the cleanup advice, the cleanup command must succeed. */
    private static List<String> cleanupIfAdvised(ReliabilityLab rl, Outcome run, String advice,
            java.util.function.Supplier<Outcome> cleanup, String label) {
        if (!(run.out() + run.err()).contains(advice)) {
            return List.of();
        }
        for (LabInstance vm : rl.lab.allVms()) {
            vm.exec("rm -rf /var/vcap/store/lab-fail");
        }
        Outcome c = cleanup.get();
        return c.exit() == 0 ? List.of() : List.of(label + ": the advised cleanup exited " + c.exit() + "\n" + c.describe());
    }

    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Idle pools and closing sockets take a moment to go away: the lowest value seen within 60 s. */
    private static long settle(java.util.function.LongSupplier count, long bound) {
        long[] last = {count.getAsLong()};
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> (last[0] = Math.min(last[0], count.getAsLong())) <= bound);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported by the caller's assertion, with the numbers
        }
        return last[0];
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
