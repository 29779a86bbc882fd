package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the drain pairs two sessions per artifact (the tar stream and the remote checksums);
 * whichever finishes first, the artifact is complete and verified.
 */
class DrainOrderingTest {
    @TempDir
    Path tmp;

    @Test
    void remoteChecksumsFinishingLongBeforeTheStreamStillVerify() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.redis0.downloadDelayMillis = 300;

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).isEmpty();
        assertThat(Files.readString(Path.of(result.artifact()).resolve("metadata"))).contains("- name: redis", "./data: "
                + FakeShell.sha256(scenario.redis0.content("/var/vcap/store/bbr-backup/redis")));
        assertThat(Path.of(result.artifact()).resolve("BACKUP-INCOMPLETE")).doesNotExist();
    }

    @Test
    void remoteChecksumsFinishingLongAfterTheStreamStillVerify() throws Exception {
        Scenario scenario = new Scenario(tmp);
        scenario.web0.checksumDelayMillis = 300;

        RunResult result = scenario.backup();

        assertThat(result.report().errors()).isEmpty();
        assertThat(Files.readString(Path.of(result.artifact()).resolve("metadata"))).contains("- name: web", "./data: "
                + FakeShell.sha256(scenario.web0.content("/var/vcap/store/bbr-backup/web")));
    }
}
