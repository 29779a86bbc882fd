package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.BackupE2eSupport.ADVICE;
import static dev.bbr.cli.e2e.BackupE2eSupport.DEP;
import static dev.bbr.cli.e2e.BackupE2eSupport.calls;
import static dev.bbr.cli.e2e.BackupE2eSupport.exec;
import static dev.bbr.cli.e2e.BackupE2eSupport.fileNames;
import static dev.bbr.cli.e2e.BackupE2eSupport.jobParams;
import static dev.bbr.cli.e2e.BackupE2eSupport.metadata;
import static dev.bbr.cli.e2e.BackupE2eSupport.metadataChecksums;
import static dev.bbr.cli.e2e.BackupE2eSupport.onlyBackupDir;
import static dev.bbr.cli.e2e.BackupE2eSupport.remoteArtifactRootExists;
import static dev.bbr.cli.e2e.BackupE2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.e2e.BackupE2eSupport.Bbr;
import dev.bbr.cli.e2e.BackupE2eSupport.Call;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bbr deployment backup} as a real separate JVM ({@code dev.bbr.cli.Main}): Ctrl-C answered yes
 * and no, SIGTERM mid-backup, and a 1 GiB artifact drained with the heap capped at 128 MiB.
 */
class BackupProcessE2ETest {
    private static final String QUESTION = "Stopping a backup can leave the system in bad state. Are you sure you want"
            + " to cancel? [yes/no]";
    private static final long GIB = 1L << 30;

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource(BackupE2eSupport.LAB_FILE);

    @TempDir
    Path artifacts;

    private Lab l;
    private LabInstance db0;
    private LabInstance web0;

    @BeforeEach
    void reset() {
        l = lab.get();
        BackupE2eSupport.reset(l);
        db0 = l.instance(DEP, "database", 0);
        web0 = l.instance(DEP, "web", 0);
    }

    private Bbr startBackup(List<String> jvmArgs) throws Exception {
        return new Bbr(BackupE2eSupport.subprocess(l, jvmArgs, "deployment", "--deployment", DEP, "backup",
                "--artifact-path", artifacts.toString()));
    }

    /** Starts a backup whose slow job sleeps, and waits until its backup script is running (all locks taken). */
    private Bbr startSlowBackup() throws Exception {
        jobParams(web0, "slow", "SLEEP_SECONDS=4");
        Bbr bbr = startBackup(List.of());
        waitFor("the slow job's backup script to start", 60, () -> calls(l, DEP, "backup").stream()
                .anyMatch(c -> c.job().equals("slow")) || !bbr.process.isAlive());
        assertThat(bbr.process.isAlive()).as("bbr still running\n" + bbr.out() + bbr.err()).isTrue();
        return bbr;
    }

    @Test
    void ctrlCAnsweredYesUnlocksCleansUpAndExitsOne() throws Exception {
        try (Bbr bbr = startSlowBackup()) {
            bbr.signal("INT");
            waitFor("the question", 20, () -> bbr.rawOut().contains(QUESTION));
            bbr.answer("yes\n");

            assertThat(bbr.await(90)).as(bbr.out() + "\n" + bbr.err()).isEqualTo(1);
            assertThat(bbr.out()).contains(QUESTION).endsWith(ADVICE);
            assertCancelledCleanly();
        }
    }

    @Test
    void ctrlCAnsweredNoCarriesOn() throws Exception {
        try (Bbr bbr = startSlowBackup()) {
            bbr.signal("INT");
            waitFor("the question", 20, () -> bbr.rawOut().contains(QUESTION));
            bbr.answer("no\n");

            assertThat(bbr.await(90)).as(bbr.out() + "\n" + bbr.err()).isZero();
            assertThat(bbr.out()).contains(QUESTION, "INFO - Backup created of lab-deployment on ");
            Path dir = onlyBackupDir(artifacts, DEP);
            assertThat(fileNames(dir)).doesNotContain("BACKUP-INCOMPLETE").contains("web-0-slow.tar");
            assertThat(metadataChecksums(metadata(dir))).hasSize(12);
            assertThat(calls(l, DEP, "post-backup-unlock")).hasSize(7).allSatisfy(c -> assertThat(c.env())
                    .containsEntry("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "true"));
            BackupE2eSupport.assertNothingLeftLocked(l, DEP);
            assertNoLeftovers();
        }
    }

    @Test
    void sigtermMidBackupUnlocksCleansUpAndExitsOne() throws Exception {
        try (Bbr bbr = startSlowBackup()) {
            bbr.signal("TERM");

            assertThat(bbr.await(90)).as(bbr.out() + "\n" + bbr.err()).isEqualTo(1);
            assertThat(bbr.out()).contains("Received SIGTERM").doesNotContain(QUESTION).endsWith(ADVICE);
            assertCancelledCleanly();
        }
    }

    private void assertCancelledCleanly() throws Exception {
        // the run stopped before draining; everything locked was unlocked (with "false")
        assertThat(calls(l, DEP, "post-backup-unlock")).hasSize(7).allSatisfy(c -> assertThat(c.env())
                .containsEntry("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "false"));
        BackupE2eSupport.assertNothingLeftLocked(l, DEP);
        Path dir = onlyBackupDir(artifacts, DEP);
        assertThat(fileNames(dir)).noneMatch(f -> f.endsWith(".tar"));
        assertThat(Files.readString(dir.resolve("BACKUP-INCOMPLETE"))).contains("status: failed", "cancelled");
        assertNoLeftovers();
    }

    private void assertNoLeftovers() {
        for (LabInstance vm : l.instances(DEP)) {
            assertThat(remoteArtifactRootExists(vm)).as("bbr-backup on " + vm).isFalse();
            assertThat(vm.sshUsers()).as("bosh users on " + vm).isEmpty();
        }
        assertThat(l.boshUsers()).as("temporary users").isEmpty();
        assertThat(l.requests().stream().filter(r -> r.line().equals("POST /deployments/lab-deployment/ssh")).count())
                .as("ssh setup and cleanup per group").isEqualTo(4);
    }

    @Test
    void oneGibArtifactDrainsWithA128MibHeap() throws Exception {
        exec(db0, "head -c " + GIB + " /dev/urandom > /var/vcap/store/data/big.bin");
        String remoteSum = exec(db0, "sha256sum /var/vcap/store/data/big.bin").stdout().split(" ")[0];

        try (Bbr bbr = startBackup(List.of("-Xmx128m"))) {
            int exit = bbr.await(300);
            assertThat(exit).as(bbr.out() + "\n" + bbr.err()).isZero();
            assertThat(bbr.err()).doesNotContain("OutOfMemoryError");

            Path dir = onlyBackupDir(artifacts, DEP);
            Path tar = dir.resolve("database-0-data.tar");
            assertThat(Files.size(tar)).isGreaterThan(GIB);
            Map<String, String> sums = metadataChecksums(metadata(dir)).get("database-0-data");
            assertThat(sums.get("./data/big.bin")).isEqualTo(remoteSum);

            String subject = "for job data on database/" + db0.id();
            long start = bbr.out.stream().filter(x -> x.text().contains("Copying backup -- ") && x.text().contains(subject))
                    .findFirst().orElseThrow().nanos();
            long end = bbr.out.stream().filter(x -> x.text().contains("Finished copying backup -- " + subject))
                    .findFirst().orElseThrow().nanos();
            double seconds = (end - start) / 1e9;
            System.out.printf("DRAIN THROUGHPUT: %d bytes (database-0-data.tar) in %.2f s = %.1f MiB/s, heap -Xmx128m%n",
                    Files.size(tar), seconds, Files.size(tar) / seconds / (1 << 20));
            assertThat(bbr.out()).containsPattern("INFO - Copying backup -- 1\\.[01]G uncompressed -- "
                    + java.util.regex.Pattern.quote(subject));
        }
    }
}
