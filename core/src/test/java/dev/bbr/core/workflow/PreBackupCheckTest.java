package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.event.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bbr's three pre-checks, alone (pre-backup-check) and in front of a backup. */
class PreBackupCheckTest {
    private static final String CYCLE_REDIS = "backup_should_be_locked_before:\n- job_name: web\n  release: web-rel\n";
    private static final String CYCLE_WEB = "backup_should_be_locked_before:\n- job_name: redis\n  release: redis-rel\n";

    @TempDir
    Path tmp;

    private Scenario cyclic() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.manifest = BackupFlowTest.releases();
        scenario.redisJobs.get("redis").add("metadata");
        scenario.webJobs.get("web").add("metadata");
        scenario.redis0.metadata("redis", CYCLE_REDIS);
        scenario.web0.metadata("web", CYCLE_WEB);
        return scenario;
    }

    private static long entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void aBackupableDeploymentPassesAndNothingRunsOrIsCreated() throws Exception {
        Scenario scenario = new Scenario(tmp);

        RunResult result = scenario.preBackupCheck();

        assertThat(result.succeeded()).isTrue();
        assertThat(result.report().exitCode()).isZero();
        assertThat(result.artifact()).isNull();
        assertThat(scenario.commands).isEmpty();
        assertThat(scenario.redis0.ownCommands).as("one session: scripts and the artifact root").singleElement()
                .satisfies(c -> assertThat(c).contains("find \"$d\"").contains("bbr-artifact-root-present"));
        assertThat(scenario.redis0.ownCommands).noneMatch(c -> c.contains("mkdir") || c.contains("rm -rf"));
        assertThat(scenario.lines(Level.INFO)).contains("Running pre-checks for backup of dep...");
        assertThat(entries(tmp)).isZero();
        assertThat(scenario.cleanups).containsExactly("ssh cleanup");
    }

    @Test
    void anExistingArtifactDirectoryIsOneArtifactDirErrorNamingEveryInstance() {
        Scenario scenario = new Scenario(tmp);
        scenario.web0.artifactRootExists = true;
        scenario.redis0.artifactRootExists = true;

        RunResult result = scenario.preBackupCheck();

        assertThat(result.report().errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.ARTIFACT_DIR);
            assertThat(e.message()).isEqualTo("Directory /var/vcap/store/bbr-backup already exists on instance"
                    + " redis/r-0\nDirectory /var/vcap/store/bbr-backup already exists on instance web/w-0");
        });
        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(result.report().firstIsArtifactDirError()).isTrue();
        assertThat(scenario.redis0.ownCommands).noneMatch(c -> c.contains("rm -rf"));
    }

    @Test
    void aDeploymentWithoutBackupScriptsFailsBeforeAnythingIsChecked() {
        Scenario scenario = new Scenario(tmp);
        scenario.redisJobs.get("redis").remove("backup");
        scenario.webJobs.get("web").remove("backup");
        scenario.redis0.artifactRootExists = true;

        RunResult result = scenario.preBackupCheck();

        assertThat(result.report().errors()).extracting(BbrError::message)
                .containsExactly("Deployment 'dep' has no backup scripts");
        assertThat(result.report().exitCode()).isEqualTo(1);
        assertThat(result.report().firstIsArtifactDirError()).isFalse();
        assertThat(scenario.redis0.ownCommands).noneMatch(c -> c.contains("stat"));
        assertThat(scenario.cleanups).containsExactly("ssh cleanup");
    }

    @Test
    void aCyclicLockOrderFailsTheCheckAfterTheArtifactDirectoryError() throws Exception {
        Scenario scenario = cyclic();
        scenario.web0.artifactRootExists = true;

        RunResult result = scenario.preBackupCheck();

        assertThat(result.report().errors()).extracting(BbrError::kind, BbrError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ErrorKind.ARTIFACT_DIR,
                        "Directory /var/vcap/store/bbr-backup already exists on instance web/w-0"),
                org.assertj.core.groups.Tuple.tuple(ErrorKind.GENERAL, "job locking dependency graph is cyclic"));
        assertThat(result.report().exitCode()).isEqualTo(1);
    }

    @Test
    void aBackupOfACyclicDeploymentRunsNothingAndCreatesNothing() throws Exception {
        Scenario scenario = cyclic();

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).extracting(BbrError::message)
                .containsExactly("job locking dependency graph is cyclic");
        assertThat(result.artifact()).isNull();
        assertThat(scenario.scriptRuns()).containsExactlyInAnyOrder("redis-0 redis metadata", "web-0 web metadata");
        assertThat(scenario.commands).noneMatch(c -> c.contains(" rm "));
        assertThat(entries(tmp)).isZero();
        assertThat(scenario.cleanups).containsExactly("ssh cleanup");
    }

    @Test
    void anInstanceThatCannotBeCheckedIsAnErrorNamingIt() {
        Scenario scenario = new Scenario(tmp);
        scenario.web0.loseConnectionOn("find \"$d\"", "connection reset by peer");

        RunResult result = scenario.preBackupCheck();

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly(
                "finding scripts failed on web/w-0: connection reset by peer");
        assertThat(result.report().firstIsArtifactDirError()).isFalse();
    }

    @Test
    void aDiscoveryFailureIsTheOnlyErrorAndAccessIsStillReleased() {
        Scenario scenario = new Scenario(tmp);
        scenario.redisJobs.get("redis").add("metadata");
        scenario.redis0.failOn("/bin/bbr/metadata'", 1, "metadata exploded");

        RunResult result = scenario.preBackupCheck();

        assertThat(result.report().errors()).extracting(BbrError::message).containsExactly("An error occurred while"
                + " running metadata script for job redis on redis/r-0: metadata exploded - exit code 1");
        assertThat(scenario.cleanups).containsExactly("ssh cleanup");
    }
}
