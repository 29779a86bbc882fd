package dev.bbr.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: {@code --log-format json} prints one parseable JSON object per line for every event of a
 * backup and a restore (docs/json-output.md), all with the run's id, ending with the outcome.
 */
class JsonOutputE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource(BackupE2eSupport.LAB_FILE);

    @TempDir
    Path tmp;

    private CliRun bbr(String... args) {
        Map<String, String> env = new HashMap<>(lab.get().env());
        env.put("BOSH_DEPLOYMENT", "redis");
        return CliRun.run(null, env, args);
    }

    @Test
    void everyEventOfABackupAndARestoreIsAJsonLine() throws Exception {
        Lab l = lab.get();
        BackupE2eSupport.reset(l);
        CliRun backup = bbr("deployment", "--log-format", "json", "backup", "--artifact-path", tmp.toString());
        assertThat(backup.exitCode()).as(backup.out() + backup.err()).isZero();
        List<JsonNode> backupEvents = lines(backup.out());

        assertThat(backupEvents).extracting(e -> e.get("type").asText()).contains("log", "phase_started",
                "phase_finished", "script_started", "script_finished", "transfer_started", "transfer_progress",
                "artifact_verified", "run_finished");
        assertThat(backupEvents).extracting(e -> e.get("run_id").asText()).containsOnly(
                backupEvents.get(0).get("run_id").asText()).first().asString().matches("[0-9a-f]{32}");
        JsonNode verified = backupEvents.stream().filter(e -> e.get("type").asText().equals("artifact_verified"))
                .findFirst().orElseThrow();
        assertThat(verified.get("direction").asText()).isEqualTo("backup");
        assertThat(verified.get("artifact").asText()).isEqualTo("redis-0-redis.tar");
        assertThat(verified.get("bytes").asLong()).isPositive();
        assertThat(verified.get("checksums_sha256").asText()).matches("[0-9a-f]{64}");
        JsonNode finished = backupEvents.get(backupEvents.size() - 1);
        assertThat(finished.get("type").asText()).isEqualTo("run_finished");
        assertThat(finished.get("exit_code").asInt()).isZero();
        assertThat(finished.get("operation").asText()).isEqualTo("backup");
        assertThat(backup.err()).isEmpty();

        Path artifact;
        try (Stream<Path> dirs = Files.list(tmp)) {
            artifact = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(finished.get("artifact").asText()).isEqualTo(artifact.toString());
        CliRun restore = bbr("deployment", "--log-format", "json", "restore", "--artifact-path", artifact.toString());
        assertThat(restore.exitCode()).as(restore.out() + restore.err()).isZero();
        List<JsonNode> restoreEvents = lines(restore.out());
        assertThat(restoreEvents).extracting(e -> e.get("type").asText()).contains("phase_started",
                "script_started", "transfer_started", "artifact_verified", "run_finished");
        assertThat(restoreEvents).filteredOn(e -> e.get("type").asText().equals("script_started"))
                .extracting(e -> e.get("script").asText()).contains("restore");
    }

    @Test
    void aFailedRunEndsWithItsErrorReportAsJson() throws Exception {
        CliRun r = bbr("deployment", "--log-format", "json", "backup", "--artifact-path", tmp.resolve("missing")
                .toString());
        assertThat(r.exitCode()).isEqualTo(1);
        List<JsonNode> events = lines(r.out());
        JsonNode report = events.stream().filter(e -> e.get("type").asText().equals("error_report")).findFirst()
                .orElseThrow();
        assertThat(report.get("exit_code").asInt()).isEqualTo(1);
        assertThat(report.get("errors").get(0).asText()).contains("no such file or directory");
        assertThat(r.err()).as("JSON mode writes everything to stdout").isEmpty();
    }

    @Test
    void anUnknownFormatIsRefused() {
        CliRun r = bbr("deployment", "--log-format", "xml", "backup");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("invalid value \"xml\" for flag -log-format: expected text or json");
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.has("time") && node.has("level") && node.has("type")).as(line).isTrue();
                events.add(node);
            }
        }
        return events;
    }
}
