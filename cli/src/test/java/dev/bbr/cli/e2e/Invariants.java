package dev.bbr.cli.e2e;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What every fault must leave behind, checked on the lab (docs/reliability.md, "What bbr for Java
 * promises"):
 * <ol>
 *   <li>no job left locked: every lock recorded on an instance is followed by its unlock, and a job
 *       that must be locked before another ({@code first} before {@code second}) is unlocked after it;
 *   <li>no temporary {@code bosh_…} user, on the host or in any VM's authorized keys;
 *   <li>no {@code /var/vcap/store/bbr-backup} on any VM;
 *   <li>no command of a bbr run (tagged {@code BBR_RUN_ID}) still running on any VM;
 *   <li>every backup directory under the artifact path either passes {@code bbr artifacts verify}
 *       with no marker, or carries {@code BACKUP-INCOMPLETE} and fails it: nothing partial looks whole.
 * </ol>
 */
final class Invariants {
    /** How long stopped remote commands get to go away (bbr's grace before SIGKILL is 10 s). */
    private static final Duration PROCESS_GRACE = Duration.ofSeconds(20);

    private final Lab lab;
    /** Job pairs whose lock order the lab declares: the first is locked before the second. */
    private final Map<String, String> lockedBefore;

    Invariants(Lab lab, Map<String, String> lockedBefore) {
        this.lab = lab;
        this.lockedBefore = Map.copyOf(lockedBefore);
    }

    /** Every violation, one line each; empty when all invariants hold. */
    List<String> violations(Path artifactRoot) {
        List<String> violations = new ArrayList<>();
        for (String deployment : deployments()) {
            violations.addAll(lockViolations(deployment));
        }
        violations.addAll(userViolations());
        for (LabInstance vm : lab.allVms()) {
            if (vm.exec("test -e /var/vcap/store/bbr-backup").ok()) {
                violations.add("/var/vcap/store/bbr-backup left on " + vm.name());
            }
        }
        violations.addAll(processViolations());
        if (artifactRoot != null) {
            violations.addAll(artifactViolations(artifactRoot));
        }
        return violations;
    }

    private Set<String> deployments() {
        Set<String> names = new LinkedHashSet<>();
        lab.allVms().forEach(vm -> names.add(vm.deployment()));
        return names;
    }

    /** Walks the lock log: a lock without a later unlock, or an unlock while a job locked after it is still locked. */
    List<String> lockViolations(String deployment) {
        List<String> violations = new ArrayList<>();
        Map<String, Boolean> locked = new LinkedHashMap<>();
        for (BackupE2eSupport.LockEvent e : BackupE2eSupport.lockEvents(lab, deployment)) {
            if (e.what().equals("lock")) {
                locked.put(e.target(), true);
                continue;
            }
            String second = lockedBefore.get(e.job());
            if (second != null && Boolean.TRUE.equals(locked.get(e.target()))) {
                locked.forEach((target, isLocked) -> {
                    if (isLocked && target.endsWith(" " + second)) {
                        violations.add(deployment + ": " + e.target() + " unlocked while " + target
                                + " (locked after it) was still locked");
                    }
                });
            }
            locked.put(e.target(), false);
        }
        locked.forEach((target, isLocked) -> {
            if (isLocked) {
                violations.add(deployment + ": " + target + " left locked");
            }
        });
        return violations;
    }

    private List<String> userViolations() {
        List<String> violations = new ArrayList<>();
        lab.boshUsers().forEach(u -> violations.add("temporary user " + u + " left on the host"));
        for (LabInstance vm : lab.allVms()) {
            vm.sshUsers().stream().filter(u -> u.startsWith("bosh_"))
                    .forEach(u -> violations.add("temporary user " + u + " can still log in to " + vm.name()));
        }
        return violations;
    }

    /** Commands of bbr runs still alive on any VM, after giving stopped ones their grace period. */
    private List<String> processViolations() {
        try {
            org.awaitility.Awaitility.await("bbr's remote commands to end").atMost(PROCESS_GRACE)
                    .pollInterval(Duration.ofMillis(200)).until(() -> runProcesses().isEmpty());
            return List.of();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return runProcesses();
        }
    }

    private List<String> runProcesses() {
        List<String> left = new ArrayList<>();
        for (LabInstance vm : lab.allVms()) {
            vm.faults().runProcesses().forEach(p -> left.add("still running on " + vm.name() + ": " + p));
        }
        return left;
    }

    /** Each backup directory: complete and verified, or marked incomplete and refused by verify. */
    List<String> artifactViolations(Path root) {
        List<String> violations = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return violations;
        }
        List<Path> backups;
        try (Stream<Path> s = Files.list(root)) {
            backups = s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().matches(".+_\\d{8}T\\d{6}Z")).sorted().toList();
        } catch (IOException e) {
            return List.of("cannot list " + root + ": " + e.getMessage());
        }
        for (Path backup : backups) {
            boolean marked = Files.exists(backup.resolve("BACKUP-INCOMPLETE"));
            CliRun verify = verify(backup);
            if (!marked && verify.exitCode() != 0) {
                violations.add(backup.getFileName() + " has no BACKUP-INCOMPLETE marker but does not verify: "
                        + (verify.out() + verify.err()).strip());
            }
            if (marked && verify.exitCode() == 0) {
                violations.add(backup.getFileName() + " is marked incomplete but verifies");
            }
        }
        return violations;
    }

    static CliRun verify(Path backup) {
        return CliRun.run(null, new HashMap<>(), new String[] {"artifacts", "verify", backup.toString(), "--no-record"});
    }

    /** The backup directories under {@code root}, oldest first. */
    static List<Path> backups(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches(".+_\\d{8}T\\d{6}Z"))
                    .sorted().toList();
        }
    }

}
