package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.failScript;
import static dev.bbr.cli.e2e.RestoreE2eSupport.resetInstances;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk space checked before it runs out (issue 18), against the lab: an 8 MiB tmpfs as the
 * artifact path and two instances with 3 MiB artifacts each.
 */
class DiskSpaceE2ETest {
    private static final String DEP = "space-dep";

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/disk-space.yml");

    @TempDir
    static Path mounts;

    private static Path small;

    private Lab l;

    @BeforeAll
    static void mountSmallFileSystem() throws Exception {
        small = Files.createDirectories(mounts.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "bbr-space-test", small.toString());
    }

    @AfterAll
    static void unmount() throws Exception {
        if (small != null) {
            run("umount", small.toString());
        }
    }

    @BeforeEach
    void reset() throws Exception {
        l = lab.get();
        resetInstances(l, DEP);
        try (Stream<Path> left = Files.list(small)) {
            for (Path p : left.toList()) {
                run("rm", "-rf", p.toString());
            }
        }
    }

    @Test
    void aBackupThatDoesNotFitStopsBeforeTheDrainUnlocksCleansUpAndLeavesNothing() throws Exception {
        CliRun run = bbr(l.env(), "deployment", "--deployment", DEP, "backup", "--artifact-path", small.toString(),
                "--min-free-space", "4M");

        assertThat(run.exitCode()).as(describe(run)).isEqualTo(1);
        assertThat(run.err()).containsPattern("Not enough free space for the backup in " + small
                + "/space-dep_\\d{8}T\\d{6}Z: the artifacts need 6\\.\\dM \\(\\d+ bytes\\) uncompressed and"
                + " 8\\.0M \\(\\d+ bytes\\) is free, of which --min-free-space keeps 4\\.0M \\(4194304 bytes\\)");
        assertThat(run.out()).doesNotContain("Copying backup --");
        try (Stream<Path> left = Files.list(small)) {
            assertThat(left).as("no backup directory, no partial artifact").isEmpty();
        }
        for (LabInstance vm : l.instances(DEP)) {
            assertThat(exec(vm, "[ -e /var/vcap/store/bbr-backup ] && echo left || true")).isEmpty();
        }
        assertThat(l.boshUsers()).as("temporary users removed").isEmpty();
    }

    @Test
    void aBackupThatFitsIsTakenAndPreBackupCheckReportsTheSpaceAndItsSize() throws Exception {
        CliRun backup = bbr(l.env(), "deployment", "--deployment", DEP, "backup", "--artifact-path", small.toString(),
                "--min-free-space", "512K");
        assertThat(backup.exitCode()).as(describe(backup)).isZero();
        assertThat(backup.out()).contains("Copying backup -- 3.1M uncompressed -- for job data on store/");

        CliRun check = bbr(l.env(), "deployment", "--deployment", DEP, "pre-backup-check", "--artifact-path",
                small.toString());

        assertThat(check.exitCode()).as(describe(check)).isZero();
        assertThat(check.out()).containsPattern("Free space in " + small + ": \\d\\.\\dM \\(\\d+ bytes\\)")
                .containsPattern("Newest backup of space-dep in " + small + ": space-dep_\\d{8}T\\d{6}Z, 6\\.\\dM"
                        + " \\(\\d+ bytes\\) stored \\(an estimate of the next one\\)")
                .contains("Deployment 'space-dep' can be backed up.");
    }

    @Test
    void preBackupCheckWithoutEarlierBackupsSaysSo() {
        CliRun check = bbr(l.env(), "deployment", "--deployment", DEP, "pre-backup-check", "--artifact-path",
                small.toString());

        assertThat(check.exitCode()).as(describe(check)).isZero();
        assertThat(check.out()).contains("No earlier backup of space-dep in " + small);
    }

    @Test
    void aBackupScriptOutOfSpaceNamesItsInstance() throws Exception {
        LabInstance vm = l.instances(DEP).get(0);
        failScript(vm, "data", "backup", "cp: error writing /var/vcap/store/bbr-backup/data/x: No space left on device");

        CliRun run = bbr(l.env(), "deployment", "--deployment", DEP, "backup", "--artifact-path",
                Files.createTempDirectory(mounts, "roomy").toString(), "--min-free-space", "off");

        assertThat(run.exitCode()).as(describe(run)).isEqualTo(1);
        assertThat(run.err()).contains("No space left on device").contains("(instance store/" + vm.id()
                + " ran out of disk space)");
    }

    @Test
    void aSizeThatIsNotOneIsRefusedBeforeAnythingIsContacted() {
        l.clearRequests();
        CliRun run = bbr(l.env(), "deployment", "--deployment", DEP, "backup", "--min-free-space", "lots");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out() + run.err()).contains("invalid value \"lots\" for flag -min-free-space");
        assertThat(l.requests()).isEmpty();
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    static Map<String, String> env(Lab lab) {
        return lab.env();
    }
}
