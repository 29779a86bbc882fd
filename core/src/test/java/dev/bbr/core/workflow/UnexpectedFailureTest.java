package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.core.errors.BbrError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10 item 2 and issue 17: an unexpected exception (a defect, a library's unchecked exception,
 * one without a message) thrown at any step of backup or restore becomes an error of the run: no
 * exception escapes, every locked job is unlocked, a backup that was not verifiably drained keeps
 * its {@code BACKUP-INCOMPLETE} marker, and the exit code says what failed.
 */
class UnexpectedFailureTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> backupSteps() {
        return Stream.of(
                // fragment of the command that throws, exit code, lock attempted, artifact complete
                Arguments.of("discovery and pre-check", "find \"$d\"", 1, false, null),
                Arguments.of("pre-backup-lock", "/bin/bbr/pre-backup-lock'", 4, true, false),
                Arguments.of("backup", "/bin/bbr/backup'", 1, true, false),
                Arguments.of("post-backup-unlock", "/bin/bbr/post-backup-unlock'", 8, true, true),
                Arguments.of("drain size", "du -sb", 1, true, false),
                Arguments.of("drain tar", "-cf - .", 1, true, false),
                Arguments.of("drain checksums", "sha256sum -z", 1, true, false),
                // the instance's last artifact removes the whole root; the cleanup tries once more
                Arguments.of("drain delete, then cleanup", "rm -rf '/var/vcap/store/bbr-backup'", 17, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backupSteps")
    void backupTurnsAnExceptionAtEveryStepIntoAnErrorOfTheRun(String step, String fragment, int exitCode,
            boolean lockAttempted, Boolean complete) throws Exception {
        for (RuntimeException thrown : List.of(new IllegalStateException("boom at " + step),
                new NullPointerException())) {
            Scenario scenario = new Scenario(Files.createTempDirectory(tmp, "b"));
            scenario.redis0.throwOn(fragment, thrown);

            RunResult result = scenario.backup();

            assertThat(result.report().exitCode()).as("exit code").isEqualTo(exitCode);
            assertThat(result.report().errors()).extracting(BbrError::message)
                    .allSatisfy(m -> assertThat(m).doesNotContain("null").isNotBlank())
                    .anySatisfy(m -> assertThat(m).contains(thrown.getMessage() == null
                            ? "NullPointerException" : thrown.getMessage()));
            assertThat(scenario.lockedButNotUnlocked("pre-backup-lock", "post-backup-unlock"))
                    .as("jobs left locked").isEmpty();
            assertThat(scenario.scriptRuns().stream().anyMatch(r -> r.contains("pre-backup-lock")))
                    .isEqualTo(lockAttempted);
            assertThat(scenario.cleanups).as("temporary users removed").containsExactly("ssh cleanup");
            if (complete == null) {
                assertThat(result.artifact()).isNull();
            } else {
                assertThat(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE").toFile().exists())
                        .as("incomplete marker").isEqualTo(!complete);
            }
        }
    }

    @Test
    void aBackupScriptThatThrowsUnlocksWithFalse() {
        Scenario scenario = new Scenario(tmp);
        scenario.web0.throwOn("/bin/bbr/backup'", new IllegalStateException("defect"));

        RunResult result = scenario.backup();

        assertThat(scenario.scriptRuns()).contains("redis-0 redis post-backup-unlock (false)",
                "web-0 web post-backup-unlock (false)");
        assertThat(result.report().errors()).extracting(BbrError::message)
                .contains("Error attempting to run backup for job web on web/w-0: defect");
    }

    @Test
    void aDestinationThatThrowsWhileRecordingMetadataKeepsTheMarkerAndStillCleansUp() throws Exception {
        Scenario scenario = new Scenario(tmp);
        AtomicInteger writes = new AtomicInteger();
        scenario.destinationWrapper = real -> new ForwardingDestination(real) {
            @Override
            public void writeMetadata(BackupMetadata metadata) throws IOException {
                if (writes.incrementAndGet() == 2) { // the first artifact's checksums
                    throw new IllegalStateException();
                }
                super.writeMetadata(metadata);
            }
        };

        RunResult result = scenario.backup();

        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")).exists();
        assertThat(scenario.lockedButNotUnlocked("pre-backup-lock", "post-backup-unlock")).isEmpty();
        assertThat(scenario.commands).contains("redis-0 rm '/var/vcap/store/bbr-backup'",
                "web-0 rm '/var/vcap/store/bbr-backup'");
    }

    @Test
    void accessCleanupThatThrowsIsACleanupError() {
        Scenario scenario = new Scenario(tmp);
        scenario.cleanupThrows = new UnsupportedOperationException();

        RunResult result = scenario.backup();

        assertThat(result.report().exitCode()).isEqualTo(16);
        assertThat(result.report().errors()).singleElement().satisfies(e -> assertThat(e.message())
                .isEqualTo("Deployment 'dep' failed while cleaning up with error: unexpected error:"
                        + " UnsupportedOperationException"));
        assertThat(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")).doesNotExist();
    }

    static Stream<Arguments> restoreSteps() {
        return Stream.of(
                Arguments.of("upload", "-xf -", 1, false),
                Arguments.of("upload checksums", "sha256sum -z", 1, false),
                Arguments.of("pre-restore-lock", "/bin/bbr/pre-restore-lock'", 1, true),
                Arguments.of("restore", "/bin/bbr/restore'", 1, true),
                Arguments.of("post-restore-unlock", "/bin/bbr/post-restore-unlock'", 8, true),
                Arguments.of("cleanup", "rm -rf '/var/vcap/store/bbr-backup'", 16, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restoreSteps")
    void restoreTurnsAnExceptionAtEveryStepIntoAnErrorOfTheRun(String step, String fragment, int exitCode,
            boolean lockAttempted) throws Exception {
        for (RuntimeException thrown : List.of(new IllegalStateException("boom at " + step),
                new NullPointerException())) {
            Scenario scenario = new Scenario(Files.createTempDirectory(tmp, "r"));
            Path backup = Path.of(scenario.backup().artifact());
            scenario.commands.clear();
            scenario.cleanups.clear();
            scenario.redis0.throwOn(fragment, thrown);

            RunResult result = scenario.restore(backup);

            assertThat(result.report().exitCode()).as("exit code").isEqualTo(exitCode);
            assertThat(result.report().errors()).extracting(BbrError::message)
                    .allSatisfy(m -> assertThat(m).doesNotContain("null").isNotBlank());
            assertThat(scenario.lockedButNotUnlocked("pre-restore-lock", "post-restore-unlock"))
                    .as("jobs left locked").isEmpty();
            assertThat(scenario.scriptRuns().stream().anyMatch(r -> r.contains("pre-restore-lock")))
                    .isEqualTo(lockAttempted);
            assertThat(scenario.cleanups).containsExactly("ssh cleanup");
            assertThat(scenario.web0.store).as("remote artifact directories removed").isEmpty();
        }
    }

    /** Passes every call to the real destination; tests override the one that fails. */
    static class ForwardingDestination implements BackupDestination {
        private final BackupDestination real;

        ForwardingDestination(BackupDestination real) {
            this.real = real;
        }

        @Override
        public ArtifactOutput openArtifact(ArtifactId id, String storedSuffix) throws IOException {
            return real.openArtifact(id, storedSuffix);
        }

        @Override
        public void writeMetadata(BackupMetadata metadata) throws IOException {
            real.writeMetadata(metadata);
        }

        @Override
        public void writeFile(String name, byte[] content) throws IOException {
            real.writeFile(name, content);
        }

        @Override
        public void markComplete() throws IOException {
            real.markComplete();
        }

        @Override
        public void markFailed(String reason) throws IOException {
            real.markFailed(reason);
        }

        @Override
        public void discard() throws java.io.IOException {
            real.discard();
        }

        @Override
        public java.util.OptionalLong freeSpace() {
            return real.freeSpace();
        }

        @Override
        public String location() {
            return real.location();
        }
    }
}
