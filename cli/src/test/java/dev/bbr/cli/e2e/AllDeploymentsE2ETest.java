package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.fileNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bbr deployment --all-deployments} against three deployments (labs/all-deployments.yml):
 * alpha and gamma back up, beta's backup script fails.
 */
class AllDeploymentsE2ETest {
    private static final String TS = "\\[\\d{2}:\\d{2}:\\d{2}\\] ";

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/all-deployments.yml");

    @TempDir
    Path tmp;

    private static Map<String, String> env(Lab l) {
        Map<String, String> env = new HashMap<>(l.env());
        env.remove("BOSH_DEPLOYMENT");
        return env;
    }

    @Test
    void backupOfThreeDeploymentsWithOneFailing() throws Exception {
        Lab l = lab.get();
        CliRun r = bbr(env(l), "deployment", "--all-deployments", "backup", "--artifact-path", tmp.toString());
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);

        String out = r.out();
        assertThat(out).startsWith("Starting backup...\n");
        assertThat(out).containsPattern(TS + "Pending: alpha, beta, gamma\n" + TS + "-------------------------\n");
        assertThat(out).containsPattern(TS + "Starting backup of alpha, log file: .*alpha_\\d{8}T\\d{6}Z\\.log");
        assertThat(out).containsPattern(TS + "Finished backup of alpha");
        assertThat(out).containsPattern(TS + "Finished backup of gamma");
        assertThat(out).containsPattern(TS + "ERROR: failed to backup beta");
        assertThat(out).containsPattern(TS + "Successfully backed up: alpha, gamma\n");
        assertThat(out).containsPattern(TS + "FAILED: beta\n");
        assertThat(out.indexOf("Successfully backed up:")).isGreaterThan(out.lastIndexOf("Finished backup of"));

        String err = r.err();
        assertThat(err).startsWith("1 out of 3 deployments cannot be backed up:\n  beta\n");
        assertThat(err).contains("Deployment 'beta':\n  ");
        assertThat(err).contains("beta backup exploded");
        assertThat(err).doesNotContain("Deployment 'alpha'", "Deployment 'gamma'");

        // per-deployment log files next to the backups, each with that deployment's log
        List<String> names = fileNames(tmp);
        for (String d : List.of("alpha", "beta", "gamma")) {
            String log = names.stream().filter(n -> n.matches(d + "_\\d{8}T\\d{6}Z\\.log")).findFirst()
                    .orElseThrow(() -> new AssertionError("no log file for " + d + " in " + names));
            String content = Files.readString(tmp.resolve(log));
            assertThat(content).as(log).contains("Starting backup of " + d);
            assertThat(content).as(log).doesNotContain("Starting backup of " + (d.equals("alpha") ? "gamma" : "alpha"));
        }
        assertThat(Files.readString(tmp.resolve(names.stream().filter(n -> n.startsWith("beta_")
                && n.endsWith(".log")).findFirst().orElseThrow()))).contains("beta backup exploded");
        // the successful ones produced complete backups
        for (String d : List.of("alpha", "gamma")) {
            Path dir = tmp.resolve(names.stream().filter(n -> n.matches(d + "_\\d{8}T\\d{6}Z")).findFirst()
                    .orElseThrow(() -> new AssertionError("no backup dir for " + d + " in " + names)));
            assertThat(fileNames(dir)).contains("metadata", "db-0-data.tar");
        }
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void preBackupCheckOfAllDeploymentsSucceeds() {
        Lab l = lab.get();
        CliRun r = bbr(env(l), "deployment", "--all-deployments", "pre-backup-check");
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(r.out()).containsPattern(TS + "Pending: alpha, beta, gamma\n");
        for (String d : List.of("alpha", "beta", "gamma")) {
            assertThat(r.out()).containsPattern(TS + "Deployment '" + d + "' can be backed up\\.");
        }
        assertThat(r.out()).containsPattern(TS + "Successfully can be backed up: alpha, beta, gamma\n");
        assertThat(r.out()).doesNotContain("FAILED");
        assertThat(r.err()).isEmpty();
        assertThat(l.boshUsers()).isEmpty();
    }

    /** Issue 10 item 10: each deployment builds its own Director client, as bbr does; one failing fails the run. */
    @Test
    void aDirectorCallFailingForOneDeploymentFailsTheRun() throws Exception {
        Lab l = lab.get();
        // the first GET /info builds the client that lists deployments; the second is alpha's own client
        l.faults().httpStatusAfter("GET", "/info", 500, 1, 1);
        try {
            CliRun r = bbr(env(l), "deployment", "--all-deployments", "--max-deployments", "1", "backup",
                    "--artifact-path", tmp.toString());

            assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
            assertThat(r.out()).containsPattern(TS + "FAILED: alpha, beta\n")
                    .containsPattern(TS + "Successfully backed up: gamma\n");
            assertThat(r.err()).contains("Deployment 'alpha':\n  1 error occurred:\n  error 1:\n"
                    + "  bosh director unreachable or unhealthy");
            assertThat(l.boshUsers()).isEmpty();
        } finally {
            l.faults().clear();
        }
    }

    /** Issue 10 item 10: bbr's lines, and the log files in the working directory, named as bbr prints them. */
    @Test
    void backupCleanupOfAllDeploymentsPrintsBbrsLinesAndLogsInTheWorkingDirectory() throws Exception {
        Lab l = lab.get();
        CliRun r = bbr(env(l), "deployment", "--all-deployments", "backup-cleanup");

        assertThat(r.exitCode()).as(describe(r)).isZero();
        String out = r.out();
        assertThat(out).startsWith("Starting cleanup...\n");
        assertThat(out).containsPattern(TS + "Pending: alpha, beta, gamma\n" + TS + "-------------------------\n");
        for (String d : List.of("alpha", "beta", "gamma")) {
            assertThat(out).containsPattern(TS + "Starting cleanup of " + d + ", log file: " + d
                    + "_\\d{8}T\\d{6}Z\\.log\n");
            assertThat(out).containsPattern(TS + "Finished cleanup of " + d + "\n");
            String log = fileNames(r.workingDirectory()).stream().filter(n -> n.matches(d + "_\\d{8}T\\d{6}Z\\.log"))
                    .findFirst().orElseThrow(() -> new AssertionError("no log of " + d + " in the working directory"));
            assertThat(Files.readString(r.workingDirectory().resolve(log))).contains("'" + d + "' cleaned up");
        }
        assertThat(out).containsPattern(TS + "-------------------------\n" + TS
                + "Successfully cleaned up: alpha, beta, gamma\n");
        assertThat(r.err()).isEmpty();
        assertThat(l.boshUsers()).isEmpty();
    }
}
