package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.event.TransferStarted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free-space check between the backup scripts and the drain (issue 18): the artifacts' total,
 * as the backup commands measured it, against the destination's free space less the margin.
 */
class SpaceCheckTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    /** Two artifacts of 1 GiB each, as the instances' du reports them. */
    private Scenario scenario(long freeBytes, long minFreeSpace) {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.sizeOutput = GIB + "\t/var/vcap/store/bbr-backup/redis";
        scenario.web0.sizeOutput = GIB + "\t/var/vcap/store/bbr-backup/web";
        scenario.backupOptions = new BackupOptions(false, false, 4, "1.0", minFreeSpace);
        scenario.destinationWrapper = d -> new UnexpectedFailureTest.ForwardingDestination(d) {
            @Override
            public OptionalLong freeSpace() {
                return freeBytes < 0 ? OptionalLong.empty() : OptionalLong.of(freeBytes);
            }
        };
        return scenario;
    }

    @Test
    void artifactsThatDoNotFitStopTheRunBeforeTheDrainAndLeaveNoBackupDirectory() throws IOException {
        Scenario scenario = scenario(3 * GIB, GIB + 1);

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).extracting(BbrError::kind, BbrError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ErrorKind.GENERAL, "Not enough free space for the backup in "
                        + result.report().errors().get(0).message().split(" in ")[1].split(":")[0]
                        + ": the artifacts need 2.0G (2147483648 bytes) uncompressed and 3.0G (3221225472 bytes) is"
                        + " free, of which --min-free-space keeps 1.1G (1073741825 bytes)"));
        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(result.report().errors().get(0).message()).doesNotContain("\n");
        assertThat(result.artifact()).isNull();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("no backup directory").isEmpty();
        }
        assertThat(scenario.typedEvents()).noneMatch(e -> e instanceof TransferStarted);
        assertThat(scenario.redis0.ownCommands).noneMatch(c -> c.contains(" -cf - ."));
        assertThat(scenario.lockedButNotUnlocked("pre-backup-lock", "post-backup-unlock")).isEmpty();
        assertThat(scenario.redis0.store).as("remote artifacts removed").isEmpty();
        assertThat(scenario.web0.store).isEmpty();
        assertThat(scenario.cleanups).containsExactly("ssh cleanup");
    }

    @Test
    void artifactsThatFitWithTheMarginToSpareAreDrained() {
        RunResult result = scenario(3 * GIB, GIB).backup();

        assertThat(result.succeeded()).isTrue();
        assertThat(Path.of(result.artifact()).resolve("redis-0-redis.tar")).isRegularFile();
    }

    @Test
    void offSkipsTheCheck() {
        RunResult result = scenario(1, BackupOptions.NO_SPACE_CHECK).backup();

        assertThat(result.succeeded()).isTrue();
    }

    @Test
    void aStoreWithoutAFreeSpaceLimitIsNotChecked() {
        Scenario scenario = scenario(-1, GIB);

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        assertThat(scenario.lines(dev.bbr.core.event.Level.DEBUG)).anyMatch(l -> l.startsWith("Free space check skipped"));
    }

    @Test
    void aSizeTheBackupCommandDidNotReportIsMeasuredBeforeTheCheck() {
        Scenario scenario = scenario(2 * GIB, GIB);
        scenario.web0.sizeReported = false;

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("the artifacts need 2.0G (2147483648 bytes)"));
        assertThat(scenario.web0.ownCommands).contains("sudo -n du -sb '/var/vcap/store/bbr-backup/web'");
    }

    @Test
    void aBackupScriptThatRanOutOfSpaceSaysOnWhichInstance() {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.failOn("/bin/bbr/backup'", 1, "cp: error writing '/var/vcap/store/bbr-backup/redis/x':"
                + " No space left on device");

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("Error attempting to run"
                + " backup for job redis on redis/r-0: cp: error writing '/var/vcap/store/bbr-backup/redis/x': No space"
                + " left on device - exit code 1 (instance redis/r-0 ran out of disk space)");
    }
}
