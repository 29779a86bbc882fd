package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.event.ArtifactVerified;
import dev.bbr.core.event.Level;
import dev.bbr.core.event.TransferStarted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A drain that goes wrong on one instance: bbr's message, a drain error (backup-cleanup advised),
 * no metadata entry for what was not verified, the marker kept, and the other instance drained.
 */
class DrainFailuresTest {
    @TempDir
    Path tmp;

    @Test
    void aChecksumMismatchIsBbrsCorruptionMessageAndTheArtifactIsNotRecorded() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.checksumsLie = true;

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.DRAIN);
            assertThat(e.message()).isEqualTo("Backup is corrupted, checksum failed for redis/r-0 redis - checksums"
                    + " don't match for [./data]. Checksum failed for 1 files in total");
        });
        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(result.report().advisesBackupCleanup()).isTrue();
        String metadata = Files.readString(Path.of(result.artifact()).resolve("metadata"));
        assertThat(metadata).contains("- name: web").doesNotContain("- name: redis");
        assertThat(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")).exists();
        assertThat(scenario.typedEvents()).filteredOn(e -> e instanceof ArtifactVerified)
                .extracting(e -> ((ArtifactVerified) e).job()).containsExactly("web");
        assertThat(scenario.lines(Level.DEBUG)).contains("Checksums didn't match for: [./data]");
        assertThat(scenario.lines(Level.INFO)).anySatisfy(l -> assertThat(l)
                .startsWith("Failed to create backup of dep on ").endsWith(", failed during drain step"));
        assertThat(scenario.redis0.store).as("removed by the cleanup").isEmpty();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("remote size fails", "du -sb", 1, "du: cannot access",
                        "Unable to check size of /var/vcap/store/bbr-backup/redis: du: cannot access - exit code 1",
                        false),
                Arguments.of("tar stream fails", " -cf - .", 2, "tar: ./data: file changed as we read it",
                        "Error streaming backup from remote instance. Error: tar: ./data: file changed as we read it"
                                + " - exit code 2", false),
                Arguments.of("remote checksums fail", "sha256sum -z", 1, "sha256sum: invalid option -- 'z'",
                        "Unable to calculate backup checksum: sha256sum: invalid option -- 'z' - exit code 1", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailingDrainCommandIsBbrsDrainError(String step, String fragment, int exitCode, String stderr,
            String message, boolean verifiedBeforeTheFailure) throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.failOn(fragment, exitCode, stderr);

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).extracting(BbrError::kind, BbrError::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ErrorKind.DRAIN, message));
        assertThat(result.report().exitCode()).isEqualTo(1);
        Path backup = Path.of(result.artifact());
        assertThat(backup.resolve("BACKUP-INCOMPLETE")).exists();
        assertThat(backup.resolve("web-0-web.tar")).isRegularFile();
        assertThat(Files.readString(backup.resolve("metadata")).contains("- name: redis"))
                .as("redis recorded in the metadata").isEqualTo(verifiedBeforeTheFailure);
        assertThat(scenario.lockedButNotUnlocked("pre-backup-lock", "post-backup-unlock")).isEmpty();
        assertThat(scenario.commands).contains("redis-0 rm '/var/vcap/store/bbr-backup'");
    }

    @Test
    void theSizeComesFromTheBackupCommandAndTheDrainRunsNoDuOfItsOwn() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.sizeOutput = "4198\t/var/vcap/store/bbr-backup/redis";

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        assertThat(scenario.typedEvents()).filteredOn(e -> e instanceof TransferStarted)
                .map(e -> (TransferStarted) e).filteredOn(e -> e.job().equals("redis"))
                .singleElement().satisfies(e -> assertThat(e.text()).startsWith("Copying backup -- 4.1K uncompressed"));
        assertThat(scenario.redis0.ownCommands).noneMatch(c -> c.startsWith("sudo -n du -sb"));
        assertThat(scenario.lines(Level.DEBUG)).as("the script's own output, marker cut off")
                .filteredOn(l -> l.startsWith("stdout:")).isNotEmpty().noneMatch(l -> l.contains("bbr-artifact-size"));
    }

    @Test
    void withoutASizeFromTheBackupCommandTheDrainMeasuresItself() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.sizeReported = false;

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        assertThat(scenario.redis0.ownCommands).contains("sudo -n du -sb '/var/vcap/store/bbr-backup/redis'");
        assertThat(scenario.lines(Level.DEBUG)).contains("Calculating size of backup on redis/r-0");
    }

    @Test
    void theLastVerifiedArtifactOfAnInstanceRemovesTheRootAndTheCleanupLeavesItAlone() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redisJobs.put("sidecar", new java.util.HashSet<>(Scenario.ALL_SCRIPTS));

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        // one artifact removes its own directory, the last one the root; no cleanup rm after them
        assertThat(scenario.redis0.ownCommands).filteredOn(c -> c.startsWith("sudo -n rm -rf")).hasSize(2)
                .containsOnlyOnce("sudo -n rm -rf '/var/vcap/store/bbr-backup'")
                .last().isEqualTo("sudo -n rm -rf '/var/vcap/store/bbr-backup'");
        assertThat(scenario.web0.ownCommands).filteredOn(c -> c.startsWith("sudo -n rm -rf"))
                .containsExactly("sudo -n rm -rf '/var/vcap/store/bbr-backup'");
        assertThat(scenario.redis0.store).isEmpty();
    }

    @Test
    void aFailedRemovalIsBbrsDeleteErrorAndTheCleanupTriesAgain() throws Exception {
        Scenario scenario = new Scenario(tmp);
        // both the root and the artifact's own directory
        scenario.redis0.failOn("rm -rf '/var/vcap/store/bbr-backup", 1, "rm: Operation not permitted");

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).extracting(BbrError::kind, BbrError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ErrorKind.DRAIN, "Unable to delete artifact directory on instance"
                        + " redis/r-0: rm: Operation not permitted - exit code 1"),
                org.assertj.core.groups.Tuple.tuple(ErrorKind.CLEANUP, "Deployment 'dep' failed while cleaning up with"
                        + " error: failed to remove backup artifact: rm: Operation not permitted - exit code 1"));
        assertThat(result.report().exitCode()).isEqualTo(17);
        assertThat(Files.readString(Path.of(result.artifact()).resolve("metadata"))).contains("- name: redis");
        assertThat(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")).exists();
        assertThat(scenario.redis0.ownCommands).containsSubsequence("sudo -n rm -rf '/var/vcap/store/bbr-backup'",
                "sudo -n rm -rf '/var/vcap/store/bbr-backup/redis'", "sudo -n rm -rf '/var/vcap/store/bbr-backup'");
    }

    @Test
    void aRemoteSizeThatIsNotANumberIsReportedAndNothingIsCopied() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.sizeOutput = "du: warning\t/var/vcap/store/bbr-backup/redis";

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Unable to check size of"
                + " /var/vcap/store/bbr-backup/redis on redis/r-0: expected du: to be a number of bytes");
        assertThat(scenario.typedEvents()).filteredOn(e -> e instanceof TransferStarted)
                .extracting(e -> ((TransferStarted) e).job()).containsExactly("web");
        assertThat(Path.of(result.artifact()).resolve("redis-0-redis.tar")).doesNotExist();
        assertThat(scenario.redis0.ownCommands).noneMatch(c -> c.contains(" -cf - ."));
    }

    @Test
    void aStreamThatFailsLeavesNoPartialTarBehind() {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.failOn(" -cf - .", 2, "tar: broken pipe");

        RunResult result = scenario.backup();

        assertThat(Path.of(result.artifact()).resolve("redis-0-redis.tar")).doesNotExist();
        assertThat(Path.of(result.artifact()).resolve("web-0-web.tar")).isRegularFile();
    }

    @Test
    void aLostConnectionWhileStreamingIsBbrsStreamingError() {
        Scenario scenario = new Scenario(tmp);
        scenario.web0.loseConnectionOn(" -cf - .", "ssh: connection lost");

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).extracting(BbrError::kind, BbrError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ErrorKind.DRAIN,
                        "Error streaming backup from remote instance. Error: ssh: connection lost"));
        assertThat(result.report().advisesBackupCleanup()).isTrue();
    }
}
