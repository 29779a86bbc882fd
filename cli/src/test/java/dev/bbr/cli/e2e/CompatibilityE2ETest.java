package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.BackupE2eSupport.calls;
import static dev.bbr.cli.e2e.BackupE2eSupport.exec;
import static dev.bbr.cli.e2e.BackupE2eSupport.failScript;
import static dev.bbr.cli.e2e.BackupE2eSupport.jobParams;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.cli.e2e.BackupE2eSupport.Bbr;
import dev.bbr.cli.e2e.BackupE2eSupport.Call;
import dev.bbr.cli.e2e.BackupE2eSupport.LockEvent;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * Issue 10 items 4 to 9 and 11: what the Go bbr prints and writes, checked against the lab
 * (the texts are the Go bbr's, listed in docs/operator-guide.md).
 */
class CompatibilityE2ETest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/compat.yml");

    @TempDir
    Path tmp;

    private Lab l;

    @BeforeEach
    void reset() {
        l = lab.get();
        BackupE2eSupport.reset(l);
        exec(l.directorVm(), "rm -rf /var/vcap/store/lab-fail /var/vcap/store/lab-params /var/vcap/store/bbr-backup; "
                + "rm -f /var/vcap/sys/log/lock-recorder/locks.log /var/vcap/sys/log/lab/calls.log");
    }

    private CliRun bbr(String deployment, String... args) {
        Map<String, String> env = new HashMap<>(l.env());
        env.put("BOSH_DEPLOYMENT", deployment);
        return CliRun.run(null, env, args);
    }

    private Path backup(String deployment, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("deployment"));
        args.addAll(List.of(extra));
        args.addAll(List.of("backup", "--artifact-path", tmp.toString()));
        CliRun r = bbr(deployment, args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        try (Stream<Path> dirs = Files.list(tmp)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith(deployment + "_")).findFirst().orElseThrow();
        }
    }

    // ------------------------------------------------------------------ item 4: bbr-<ts>.err.log

    @Test
    void aFailedRunWritesTheErrLogWithStackTracesAndStderrHasNone() throws Exception {
        failScript(l.instance("ordered-dep", "svc", 0), "ordered-b", "backup", "ordered-b backup broke");
        ProcessBuilder pb = BackupE2eSupport.subprocess(l, List.of(), "deployment", "--deployment", "ordered-dep",
                "backup", "--artifact-path", tmp.toString());
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        pb.directory(cwd.toFile());
        try (Bbr bbr = new Bbr(pb)) {
            assertThat(bbr.await(120)).isEqualTo(1);
            assertThat(bbr.err()).contains("ordered-b backup broke").doesNotContainPattern("\\tat |\\n\\s+at dev\\.bbr");
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(cwd)) {
            logs = files.toList();
        }
        assertThat(logs).singleElement().satisfies(log -> {
            assertThat(log.getFileName().toString()).matches("bbr-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\\.err\\.log");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r--r--");
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("1 error occurred:", "error 1:",
                    "Error attempting to run backup for job ordered-b on svc/", "ordered-b backup broke")
                    .containsPattern("\\n\\s+at dev\\.bbr\\.");
        });
    }

    @Test
    void aSuccessfulRunWritesNoErrLog() throws Exception {
        ProcessBuilder pb = BackupE2eSupport.subprocess(l, List.of(), "deployment", "--deployment", "ordered-dep",
                "pre-backup-check");
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        pb.directory(cwd.toFile());
        try (Bbr bbr = new Bbr(pb)) {
            assertThat(bbr.await(120)).as(bbr.out() + bbr.err()).isZero();
        }
        try (Stream<Path> files = Files.list(cwd)) {
            assertThat(files).isEmpty();
        }
    }

    // ------------------------------------------------------------------ items 5, 6, 11: ordering and scripts

    @Test
    void detectedOrderIsLoggedForBackupAndRestoreWithTheRelease() throws Exception {
        CliRun r = bbr("ordered-dep", "deployment", "pre-backup-check");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "INFO - Detected order: ordered-a should be locked before lab-release/ordered-b during backup",
                "INFO - Detected order: ordered-a should be locked before lab-release/ordered-b during restore");
    }

    @Test
    void debugListsEveryScriptFoundWithItsFullPath() {
        CliRun r = bbr("ordered-dep", "deployment", "--debug", "pre-backup-check");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String found = r.out().lines().filter(line -> line.contains("DEBUG - [find files] stdout: ")).findFirst()
                .orElseThrow();
        int at = r.out().indexOf(found);
        String listing = r.out().substring(at, r.out().indexOf("DEBUG - [find files] stderr:", at));
        for (String job : List.of("ordered-a", "ordered-b")) {
            for (String script : List.of("metadata", "pre-backup-lock", "backup", "post-backup-unlock",
                    "pre-restore-lock", "restore", "post-restore-unlock")) {
                assertThat(listing).contains("/var/vcap/jobs/" + job + "/bin/bbr/" + script);
            }
        }
        assertThat(listing).contains("/var/vcap/jobs/data/bin/bbr/backup", "/var/vcap/jobs/data/bin/bbr/restore");
    }

    @Test
    void directorModeLogsTheOrderWithoutReleasesAndLocksInThatOrderForBackupAndRestore() throws Exception {
        LabInstance director = l.directorVm();
        Path home = Files.createDirectories(tmp.resolve("home"));
        String[] family = {"director", "--host", l.env().get("LAB_DIRECTOR_VM_HOST"), "-u",
                l.env().get("LAB_DIRECTOR_VM_USER"), "--key", l.env().get("LAB_DIRECTOR_VM_KEY")};
        Path backups = Files.createDirectories(tmp.resolve("backups"));
        String out;
        try (Bbr bbr = new Bbr(BackupE2eSupport.subprocess(l, List.of("-Duser.home=" + home),
                concat(family, "backup", "--artifact-path", backups.toString())))) {
            assertThat(bbr.await(120)).as(bbr.out() + bbr.err()).isZero();
            out = bbr.out();
        }
        assertThat(out).contains("INFO - Detected order: ordered-a should be locked before ordered-b during backup",
                "INFO - Detected order: ordered-a should be locked before ordered-b during restore");
        assertLockOrder(Lab.DIRECTOR_VM, "bosh/0");

        exec(director, "rm -f /var/vcap/sys/log/lock-recorder/locks.log");
        Path artifact;
        try (Stream<Path> dirs = Files.list(backups)) {
            artifact = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        try (Bbr bbr = new Bbr(BackupE2eSupport.subprocess(l, List.of("-Duser.home=" + home),
                concat(family, "restore", "--artifact-path", artifact.toString())))) {
            assertThat(bbr.await(120)).as(bbr.out() + bbr.err()).isZero();
        }
        assertLockOrder(Lab.DIRECTOR_VM, "bosh/0");
    }

    /** ordered-a locks before ordered-b, and unlocks after it (the reverse order). */
    private void assertLockOrder(String deployment, String instance) {
        List<String> events = BackupE2eSupport.lockEvents(l, deployment).stream()
                .map(LockEvent::target).map(t -> t.replace(instance + " ", "")).toList();
        List<String> what = BackupE2eSupport.lockEvents(l, deployment).stream().map(LockEvent::what).toList();
        assertThat(what).containsExactly("lock", "lock", "unlock", "unlock");
        assertThat(events).containsExactly("ordered-a", "ordered-b", "ordered-b", "ordered-a");
    }

    // ------------------------------------------------------------------ item 7: name resolution

    @Test
    void anUnresolvableTargetSaysNoSuchHostForBackupRestoreAndPreBackupCheck() throws Exception {
        Path artifact = backup("ordered-dep");
        Map<String, String> env = new HashMap<>(l.env());
        env.put("BOSH_ENVIRONMENT", "https://no-such-host.invalid:25555");
        env.put("BOSH_DEPLOYMENT", "ordered-dep");
        for (String[] sub : List.of(new String[] {"pre-backup-check"}, new String[] {"backup", "--artifact-path",
                tmp.toString()}, new String[] {"restore", "--artifact-path", artifact.toString()})) {
            CliRun r = CliRun.run(null, env, concat(new String[] {"deployment"}, sub));
            assertThat(r.exitCode()).as(String.join(" ", sub)).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", sub)).contains("lookup no-such-host.invalid: no such host");
        }
        Path home = Files.createDirectories(tmp.resolve("home"));
        String saved = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            String[] family = {"director", "--host", "no-such-host.invalid", "-u", "vcap", "--key",
                    l.env().get("LAB_DIRECTOR_VM_KEY")};
            for (String[] sub : List.of(new String[] {"pre-backup-check"}, new String[] {"backup",
                    "--artifact-path", tmp.toString()}, new String[] {"restore", "--artifact-path",
                    artifact.toString()})) {
                CliRun r = CliRun.run(null, Map.of(), concat(family, sub));
                assertThat(r.exitCode()).as(String.join(" ", sub)).isEqualTo(1);
                assertThat(r.err()).as(String.join(" ", sub))
                        .contains("ssh.Dial failed: dial tcp: lookup no-such-host.invalid: no such host");
            }
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    // ------------------------------------------------------------------ item 8: restore's size line

    @Test
    void restoreShowsDuDashShOfEachArtifactAndTheInstanceIndex() throws Exception {
        Path artifact = backup("ordered-dep");
        BackupE2eSupport.reset(l);
        CliRun r = bbr("ordered-dep", "deployment", "restore", "--artifact-path", artifact.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        for (String job : List.of("data", "ordered-a", "ordered-b")) {
            Path tar = artifact.resolve("svc-0-" + job + ".tar");
            Process du = new ProcessBuilder("du", "-sh", tar.toString()).start();
            String size = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")[0];
            assertThat(r.out()).contains("INFO - Copying backup -- " + size + " uncompressed -- for job " + job
                    + " on svc/0...");
        }
    }

    // ------------------------------------------------------------------ item 9: disabled jobs, restore_name

    @Test
    void restoreWithAJobDisabledOnOneVmRestoresTheOthersAndSaysWhichWasDisabled() throws Exception {
        LabInstance node0 = l.instance("split", "node", 0);
        LabInstance node1 = l.instance("split", "node", 1);
        jobParams(node1, "toggle", "SKIP_BBR_SCRIPTS=true");
        Path artifact = backup("split");
        exec(node0, "rm -f /var/vcap/sys/log/lab/calls.log");
        exec(node1, "rm -f /var/vcap/sys/log/lab/calls.log");

        CliRun r = bbr("split", "deployment", "--debug", "restore", "--artifact-path", artifact.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("DEBUG - Found disabled jobs on instance node/" + node1.id() + " jobs: toggle");
        assertThat(calls(l, "split", "restore")).extracting(Call::key).containsExactlyInAnyOrder(
                "node/0 toggle restore", "node/0 data restore", "node/1 data restore");
    }

    @Test
    void restoreRefusesAJobWhoseMetadataHasRestoreName() throws Exception {
        Path artifact = backup("split");
        LabInstance node0 = l.instance("split", "node", 0);
        exec(node0, "rm -f /var/vcap/sys/log/lab/calls.log");
        jobParams(node0, "toggle", "RESTORE_NAME=legacy");

        CliRun r = bbr("split", "deployment", "restore", "--artifact-path", artifact.toString());

        String message = "discontinued metadata keys backup_name/restore_name found on instance node. bbr cannot"
                + " restore this backup artifact.";
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR - " + message);
        assertThat(r.err()).contains(message);
        assertThat(calls(l, "split", "restore")).isEmpty();
        assertThat(l.boshUsers()).isEmpty();
    }

    private static String[] concat(String[] head, String... tail) {
        return Stream.concat(Stream.of(head), Stream.of(tail)).toArray(String[]::new);
    }
}
