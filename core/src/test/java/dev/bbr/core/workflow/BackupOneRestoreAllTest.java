package dev.bbr.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.discovery.HostInfo;
import dev.bbr.core.discovery.ManifestQuerier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code properties.bbr.backup_one_restore_all}: the bootstrap instance's artifact is the custom
 * {@code <job>-<release>-backup-one-restore-all}, and restore sends it to every instance with the job.
 */
class BackupOneRestoreAllTest {
    private static final String CUSTOM = "web-web-rel-backup-one-restore-all";

    @TempDir
    Path tmp;

    private FakeShell web1;

    private Scenario scenario() throws Exception {
        Scenario scenario = new Scenario(tmp);
        Map<String, Set<String>> web1Jobs = new ConcurrentHashMap<>(Map.of("web", new HashSet<>(Scenario.ALL_SCRIPTS)));
        web1 = scenario.vm("web-1", web1Jobs);
        scenario.hosts.add(new HostInfo("web", "1", "w-1", false, web1));
        scenario.manifest = ManifestQuerier.parse("dep", """
                instance_groups:
                - name: redis
                  jobs:
                  - name: redis
                    release: redis-rel
                - name: web
                  jobs:
                  - name: web
                    release: web-rel
                    properties:
                      bbr:
                        backup_one_restore_all: true
                """);
        return scenario;
    }

    @Test
    void theBootstrapInstanceWritesTheCustomArtifact() throws Exception {
        Scenario scenario = scenario();

        RunResult result = scenario.backup();

        assertThat(result.succeeded()).isTrue();
        Path backup = Path.of(result.artifact());
        assertThat(backup.resolve(CUSTOM + ".tar")).isRegularFile();
        assertThat(backup.resolve("web-0-web.tar")).as("the bootstrap has no artifact of its own").doesNotExist();
        assertThat(backup.resolve("redis-0-redis.tar")).isRegularFile();
        assertThat(Files.readString(backup.resolve("metadata"))).contains("custom_artifacts:", "- name: " + CUSTOM);
        // the backup step's first argument is the artifact directory (mkdir'd, and the scripts' BBR_ARTIFACT_DIRECTORY)
        assertThat(scenario.web0.ownCommands).filteredOn(c -> c.contains("/bin/bbr/backup'")).singleElement()
                .satisfies(c -> assertThat(c).contains(" sh '/var/vcap/store/bbr-backup/" + CUSTOM + "' "));
        assertThat(web1.ownCommands).filteredOn(c -> c.contains("/bin/bbr/backup'")).singleElement()
                .satisfies(c -> assertThat(c).doesNotContain(CUSTOM).contains(" sh '/var/vcap/store/bbr-backup/web' "));
        assertThat(scenario.typedEvents()).filteredOn(e -> e.type().equals("artifact_verified"))
                .extracting(e -> e.fields().get("artifact")).contains(CUSTOM + ".tar");
    }

    @Test
    void restoreSendsTheCustomArtifactToEveryInstanceWithTheJob() throws Exception {
        Scenario scenario = scenario();
        RunResult backup = scenario.backup();
        scenario.commands.clear();
        byte[] custom = scenario.web0.content("/var/vcap/store/bbr-backup/" + CUSTOM);
        // web-1 keeps what it received: its cleanup fails
        web1.failOn("rm -rf '/var/vcap/store/bbr-backup'", 1, "busy");

        RunResult result = scenario.restore(Path.of(backup.artifact()));

        assertThat(result.report().exitCode()).as("only the cleanup failed").isEqualTo(16);
        assertThat(scenario.commands).contains("web-0 upload /var/vcap/store/bbr-backup/" + CUSTOM,
                "web-1 upload /var/vcap/store/bbr-backup/" + CUSTOM, "redis-0 upload /var/vcap/store/bbr-backup/redis");
        assertThat(web1.ownCommands).filteredOn(c -> c.endsWith("/bin/bbr/restore'")).singleElement()
                .satisfies(c -> assertThat(c).contains("BBR_ARTIFACT_DIRECTORY='/var/vcap/store/bbr-backup/" + CUSTOM
                        + "/'"));
        assertThat(scenario.scriptRuns()).contains("web-0 web restore", "web-1 web restore");
        // the fake's data names the VM that wrote it: web-1 received the bootstrap's
        assertThat(web1.store.get("/var/vcap/store/bbr-backup/" + CUSTOM)).containsOnlyKeys("./data");
        assertThat(web1.store.get("/var/vcap/store/bbr-backup/" + CUSTOM).get("./data")).isEqualTo(custom);
        assertThat(new String(custom, java.nio.charset.StandardCharsets.UTF_8)).startsWith("data of web-0 in");
    }
}
