package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.callsOf;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.fileNames;
import static dev.bbr.cli.e2e.RestoreE2eSupport.onlyBackupDir;
import static dev.bbr.cli.e2e.RestoreE2eSupport.run;
import static dev.bbr.cli.e2e.RestoreE2eSupport.sha256Tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bbr director …} against the lab's director VM (127.0.0.11, jobs data + lock-recorder):
 * backup/restore round trip, the {@code <host>_<ts>} artifact, trust on first use with the
 * fingerprint, and a changed host key refused. Each run gets its own {@code user.home} so the
 * host's real {@code ~/.ssh/known_hosts} is never read or changed.
 */
class DirectorE2ETest {
    private static final String VM = "director-vm";

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/default.yml");

    @TempDir
    Path tmp;

    private Lab l;
    private LabInstance vm;
    private Path home;

    @BeforeEach
    void reset() throws Exception {
        l = lab.get();
        vm = l.directorVm();
        exec(vm, "rm -rf /var/vcap/store/lab-fail /var/vcap/store/bbr-backup; "
                + ": > /var/vcap/sys/log/lock-recorder/locks.log 2>/dev/null; mkdir -p /var/vcap/sys/log/lab && "
                + ": > /var/vcap/sys/log/lab/calls.log");
        home = Files.createDirectories(tmp.resolve("home"));
        l.clearRequests();
    }

    private CliRun director(String... sub) throws Exception {
        List<String> args = new ArrayList<>(List.of("director", "--host", l.env().get("LAB_DIRECTOR_VM_HOST"),
                "-u", l.env().get("LAB_DIRECTOR_VM_USER"), "--key", l.env().get("LAB_DIRECTOR_VM_KEY")));
        args.addAll(List.of(sub));
        // no BOSH_* variables: director mode must not need them
        return withHome(() -> bbr(Map.of(), args.toArray(String[]::new)));
    }

    /** The known_hosts path is read from user.home at run time; point it at this test's home. */
    private <T> T withHome(Callable<T> body) throws Exception {
        String saved = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            return body.call();
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    private String fingerprint(String publicKeyLine) throws Exception {
        Path pub = Files.writeString(tmp.resolve("k" + System.nanoTime() + ".pub"), publicKeyLine.strip() + "\n");
        return run(null, "ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()).split(" ")[1];
    }

    @Test
    void backupAndRestoreRoundTripOnTheDirectorVm() throws Exception {
        String host = l.env().get("LAB_DIRECTOR_VM_HOST");
        Map<String, String> before = sha256Tree(vm, "/var/vcap/store/data");
        assertThat(before).isNotEmpty();

        Path artifacts = Files.createDirectories(tmp.resolve("artifacts"));
        CliRun b = director("backup", "--artifact-path", artifacts.toString());
        assertThat(b.exitCode()).as(describe(b)).isZero();
        // trust on first use, with the fingerprint the operator can check
        assertThat(b.out()).contains("Accepting host key for " + host).contains(fingerprint(vm.hostPublicKey()));
        Path backup = onlyBackupDir(artifacts);
        assertThat(backup.getFileName().toString()).matches(host.replace(".", "\\.") + "_\\d{8}T\\d{6}Z");
        assertThat(fileNames(backup)).containsExactlyInAnyOrder("metadata", "bbr-sidecar.json", "bosh-0-data.tar",
                "bosh-0-lock-recorder.tar");
        assertThat(Files.readString(backup.resolve("metadata"))).contains("- name: bosh\n  index: \"0\"");
        assertThat(l.requests()).as("director mode never calls the Director API").isEmpty();
        assertThat(vm.exec("test -e /var/vcap/store/bbr-backup").exitCode()).isNotZero();

        exec(vm, "rm -rf /var/vcap/store/data");
        exec(vm, ": > /var/vcap/sys/log/lock-recorder/locks.log; : > /var/vcap/sys/log/lab/calls.log");
        CliRun r = director("restore", "--artifact-path", backup.toString());
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(sha256Tree(vm, "/var/vcap/store/data")).isEqualTo(before);
        List<String> calls = l.scriptCalls(VM);
        assertThat(callsOf(calls, "restore")).hasSize(2).allMatch(c -> c.contains(" bosh/0 "));
        assertThat(l.lockEvents(VM)).hasSize(2).satisfiesExactly(e -> assertThat(e).endsWith("lock-recorder lock"),
                e -> assertThat(e).endsWith("lock-recorder unlock"));
        assertThat(vm.exec("test -e /var/vcap/store/bbr-backup").exitCode()).isNotZero();
        assertThat(l.requests()).isEmpty();
    }

    @Test
    void restoreCleanupUnlocksAndRemovesTheLeftoverArtifactDirectory() throws Exception {
        exec(vm, "mkdir -p /var/vcap/store/bbr-backup/data && echo leftover > /var/vcap/store/bbr-backup/data/x");
        CliRun r = director("restore-cleanup");
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(vm.exec("test -e /var/vcap/store/bbr-backup").exitCode()).isNotZero();
        assertThat(l.lockEvents(VM)).hasSize(1).allMatch(e -> e.endsWith(" bosh/0 lock-recorder unlock"));
        assertThat(callsOf(l.scriptCalls(VM), "restore")).isEmpty();
    }

    @Test
    void knownHostWithTheRightKeyIsAcceptedSilently() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/known_hosts"), vm.ip() + " " + vm.hostPublicKey().strip() + "\n");
        CliRun r = director("pre-backup-check");
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(r.out()).contains("Director can be backed up.").doesNotContain("Accepting host key");
    }

    @Test
    void changedHostKeyIsRefusedAndNothingRuns() throws Exception {
        Path other = tmp.resolve("other");
        run(null, "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", other.toString());
        String otherKey = Files.readString(Path.of(other + ".pub")).strip();
        Files.createDirectories(home.resolve(".ssh"));
        Path knownHosts = home.resolve(".ssh/known_hosts");
        Files.writeString(knownHosts, vm.ip() + " " + otherKey + "\n");
        long loginsBefore = logins();

        Path artifacts = Files.createDirectories(tmp.resolve("artifacts"));
        for (String[] sub : List.of(new String[] {"backup", "--artifact-path", artifacts.toString()},
                new String[] {"pre-backup-check"})) {
            CliRun r = director(sub);
            assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
            assertThat(r.err()).contains("Host key verification failed for " + vm.ip(), knownHosts.toString(),
                    fingerprint(otherKey), fingerprint(vm.hostPublicKey()));
            assertThat(r.out()).doesNotContain("Accepting host key");
        }
        assertThat(fileNames(artifacts)).as("no backup directory").isEmpty();
        assertThat(l.scriptCalls(VM)).as("no script ran").isEmpty();
        assertThat(logins()).as("never logged in").isEqualTo(loginsBefore);
        assertThat(Files.readString(knownHosts)).as("known_hosts untouched").isEqualTo(vm.ip() + " " + otherKey + "\n");
    }

    private long logins() throws Exception {
        return Files.readAllLines(vm.sshdLog()).stream().filter(line -> line.contains("Accepted publickey")).count();
    }
}
