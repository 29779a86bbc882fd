package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.copyBackup;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.fileNames;
import static dev.bbr.cli.e2e.RestoreE2eSupport.sha256Tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bbr deployment --all-deployments restore} (issue 18): the newest complete backup of every
 * deployment under the path, validated first, one log file each, bbr's summary; a deployment without a
 * backup stops the run unless {@code --skip-missing}. Lab: labs/all-deployments.yml (alpha, beta,
 * gamma; beta cannot be backed up, so it never has a backup).
 */
class AllDeploymentsRestoreE2ETest {
    private static final String TS = "\\[\\d{2}:\\d{2}:\\d{2}\\] ";

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/all-deployments.yml");

    @TempDir
    static Path backups;

    private static Path alphaBackup;
    private static Path gammaBackup;

    private Lab l;

    @BeforeEach
    void backUpAlphaAndGammaOnce() throws Exception {
        l = lab.get();
        for (String d : List.of("alpha", "beta", "gamma")) {
            RestoreE2eSupport.resetInstances(l, d);
        }
        if (alphaBackup == null) {
            for (String d : List.of("alpha", "gamma")) {
                CliRun b = bbr(env(l), "deployment", "--deployment", d, "backup", "--artifact-path",
                        backups.toString());
                assertThat(b.exitCode()).as(describe(b)).isZero();
            }
            alphaBackup = only(backups, "alpha_");
            gammaBackup = only(backups, "gamma_");
            // an older complete backup of alpha and a newer incomplete one of gamma: neither may be chosen
            copyAs(alphaBackup, "alpha_20200101T000000Z");
            Path newer = copyAs(gammaBackup, "gamma_20991231T235959Z");
            Files.writeString(newer.resolve("BACKUP-INCOMPLETE"), "the backup was cancelled by the operator\n");
            for (String d : List.of("alpha", "gamma")) {
                RestoreE2eSupport.resetInstances(l, d);
            }
        }
    }

    @Test
    void aDeploymentWithoutABackupStopsTheRunBeforeAnythingIsTouched() {
        CliRun r = restoreAll();

        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(r.err()).contains("no complete backup under " + backups + " for 1 of 3 deployments: beta;"
                + " restore the others with --skip-missing");
        assertThat(l.scriptCalls("alpha")).isEmpty();
        assertThat(l.scriptCalls("gamma")).isEmpty();
        assertThat(l.requests()).noneMatch(q -> q.path().endsWith("/ssh"));
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void skipMissingRestoresTheNewestCompleteBackupOfEveryOtherDeployment() throws Exception {
        LabInstance alpha = l.instance("alpha", "db", 0);
        LabInstance gamma = l.instance("gamma", "db", 0);
        Map<String, String> alphaBefore = sha256Tree(alpha, "/var/vcap/store/data");
        Map<String, String> gammaBefore = sha256Tree(gamma, "/var/vcap/store/data");
        assertThat(alphaBefore).isNotEmpty();
        exec(alpha, "rm -rf /var/vcap/store/data");
        exec(gamma, "rm -rf /var/vcap/store/data");

        CliRun r = restoreAll("--skip-missing");

        assertThat(r.exitCode()).as(describe(r)).isZero();
        String out = r.out();
        assertThat(out).startsWith("Starting restore...\n");
        assertThat(out).containsPattern(TS + "Skipping beta: no complete backup under " + backups);
        assertThat(out).containsPattern(TS + "Pending: alpha, gamma\n");
        assertThat(out).containsPattern(TS + "Starting restore of alpha from " + alphaBackup.getFileName()
                + ", log file: alpha_\\d{8}T\\d{6}Z\\.log");
        assertThat(out).containsPattern(TS + "Starting restore of gamma from " + gammaBackup.getFileName() + ",");
        assertThat(out).containsPattern(TS + "Successfully restored: alpha, gamma\n");
        assertThat(r.err()).isEmpty();

        assertThat(sha256Tree(alpha, "/var/vcap/store/data")).isEqualTo(alphaBefore);
        assertThat(sha256Tree(gamma, "/var/vcap/store/data")).isEqualTo(gammaBefore);
        assertThat(RestoreE2eSupport.callsOf(l.scriptCalls("alpha"), "restore")).isNotEmpty();
        assertThat(l.scriptCalls("beta")).isEmpty();
        assertThat(l.boshUsers()).isEmpty();
        String alphaLog = fileNames(r.workingDirectory()).stream().filter(n -> n.matches("alpha_\\d{8}T\\d{6}Z\\.log"))
                .findFirst().orElseThrow();
        assertThat(Files.readString(r.workingDirectory().resolve(alphaLog))).contains("Completed restore of alpha");
    }

    @Test
    void aFailingRestoreFailsThatDeploymentOnlyAndAdvisesRestoreCleanup() {
        RestoreE2eSupport.failScript(l.instance("gamma", "db", 0), "data", "restore", "gamma restore exploded");

        CliRun r = restoreAll(List.of("--max-deployments", "1"), "--skip-missing");

        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(r.out()).containsPattern(TS + "ERROR: failed to restore gamma")
                .containsPattern(TS + "Successfully restored: alpha\n").containsPattern(TS + "FAILED: gamma\n");
        assertThat(r.err()).startsWith("1 out of 2 deployments cannot be restored:\n  gamma\n")
                .contains("gamma restore exploded")
                .contains("run `bbr deployment --deployment <name> restore-cleanup` for each deployment listed above");
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void anEncryptedBackupWithoutItsIdentityStopsTheRunBeforeAnyRestore() throws Exception {
        Path root = Files.createDirectories(backups.resolve("encrypted-root"));
        copyBackup(alphaBackup, root);
        String recipient = RestoreE2eSupport.run(null, "bash", "-c",
                "age-keygen 2>/dev/null | grep -o 'age1[0-9a-z]*' | head -1").strip();
        CliRun b = bbr(env(l), "deployment", "--deployment", "gamma", "backup", "--artifact-path", root.toString(),
                "--encrypt-to", recipient);
        assertThat(b.exitCode()).as(describe(b)).isZero();
        RestoreE2eSupport.resetInstances(l, "gamma");
        RestoreE2eSupport.resetInstances(l, "alpha");

        CliRun r = bbr(env(l), "deployment", "--all-deployments", "restore", "--artifact-path", root.toString(),
                "--skip-missing");

        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(r.err()).contains("gamma (gamma_", "the backup is encrypted with age to " + recipient);
        assertThat(l.scriptCalls("alpha")).as("alpha was not restored either").isEmpty();
        assertThat(l.requests()).noneMatch(q -> q.path().endsWith("/ssh"));
    }

    /** {@code bbr deployment [familyFlags] --all-deployments restore --artifact-path DIR [leafFlags]}. */
    private CliRun restoreAll(List<String> familyFlags, String... leafFlags) {
        List<String> args = new java.util.ArrayList<>(List.of("deployment"));
        args.addAll(familyFlags);
        args.addAll(List.of("--all-deployments", "restore", "--artifact-path", backups.toString()));
        args.addAll(List.of(leafFlags));
        return bbr(env(l), args.toArray(String[]::new));
    }

    private CliRun restoreAll(String... leafFlags) {
        return restoreAll(List.of(), leafFlags);
    }

    private static Map<String, String> env(Lab l) {
        Map<String, String> env = new HashMap<>(l.env());
        env.remove("BOSH_DEPLOYMENT");
        return env;
    }

    private static Path only(Path root, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(found).as(prefix + " backups").hasSize(1);
            return found.get(0);
        }
    }

    private static Path copyAs(Path backup, String name) throws Exception {
        Path copy = Files.createDirectories(backup.getParent().resolve(name));
        try (Stream<Path> s = Files.list(backup)) {
            for (Path f : s.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }
}
