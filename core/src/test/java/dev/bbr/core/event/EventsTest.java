package dev.bbr.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.core.log.Log;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each typed event carries bbr's line, its level, a stable type and its fields in the stated order. */
class EventsTest {

    @Test
    void phaseEventsAreBbrsBracketLines() {
        PhaseStarted started = new PhaseStarted("pre-backup-lock");
        PhaseFinished finished = new PhaseFinished("post-restore-unlock");

        assertThat(started.text()).isEqualTo("Running pre-backup-lock scripts...");
        assertThat(finished.text()).isEqualTo("Finished running post-restore-unlock scripts.");
        assertThat(List.of(started.level(), finished.level())).containsOnly(Level.INFO);
        assertThat(started.type()).isEqualTo("phase_started");
        assertThat(finished.type()).isEqualTo("phase_finished");
        assertThat(started.fields()).containsExactly(java.util.Map.entry("phase", "pre-backup-lock"));
        assertThat(List.of(started.stream(), finished.stream())).containsOnly(Event.Stream.LOG);
    }

    @Test
    void scriptEventsKeepTheirTextAndLevel() {
        ScriptStarted started = new ScriptStarted("pre-backup-lock", "redis", "redis/r-0",
                "Locking redis on redis/r-0 for backup...");
        ScriptFinished finished = new ScriptFinished("pre-backup-lock", "redis", "redis/r-0",
                "Finished locking redis on redis/r-0 for backup.", 12);
        ScriptFailed failed = new ScriptFailed("backup", "web", "web/w-0", "Error backing up web on web/w-0.",
                "Error attempting to run backup for job web on web/w-0: broke - exit code 1", 7);

        assertThat(started.text()).isEqualTo("Locking redis on redis/r-0 for backup...");
        assertThat(finished.text()).isEqualTo("Finished locking redis on redis/r-0 for backup.");
        assertThat(failed.text()).isEqualTo("Error backing up web on web/w-0.");
        assertThat(started.level()).isEqualTo(Level.INFO);
        assertThat(finished.level()).isEqualTo(Level.INFO);
        assertThat(failed.level()).isEqualTo(Level.ERROR);
        assertThat(List.of(started.type(), finished.type(), failed.type()))
                .containsExactly("script_started", "script_finished", "script_failed");
    }

    @Test
    void scriptEventFieldsAreInTheStatedOrder() {
        assertThat(new ScriptStarted("backup", "redis", "redis/r-0", "t").fields().keySet())
                .containsExactly("script", "job", "instance");
        assertThat(new ScriptFinished("backup", "redis", "redis/r-0", "t", 5).fields())
                .containsExactly(java.util.Map.entry("script", "backup"), java.util.Map.entry("job", "redis"),
                        java.util.Map.entry("instance", "redis/r-0"), java.util.Map.entry("duration_ms", 5L));
        assertThat(new ScriptFailed("backup", "redis", "redis/r-0", "t", "why", 5).fields().keySet())
                .containsExactly("script", "job", "instance", "error", "duration_ms");
        assertThat(new ScriptFailed("backup", "redis", "redis/r-0", "t", "why", 5).fields())
                .containsEntry("error", "why");
    }

    @Test
    void transferEventsCarryBytesAndTheirFieldsInOrder() {
        TransferStarted started = new TransferStarted("backup", "redis", "redis/r-0", "redis-0-redis.tar", 1024,
                "Copying backup -- 1.0K uncompressed -- for job redis on redis/r-0...");
        TransferProgress progress = new TransferProgress("restore", "redis", "redis/r-0", 512, 1024, 50,
                "Copying backup for job redis on redis/r-0 -- 50% complete");
        ArtifactVerified verified = new ArtifactVerified("backup", "redis", "redis/r-0", "redis-0-redis.tar", 10240,
                3, "ab12", "Finished validity checks -- for job redis on redis/r-0...");

        assertThat(started.text()).isEqualTo("Copying backup -- 1.0K uncompressed -- for job redis on redis/r-0...");
        assertThat(started.type()).isEqualTo("transfer_started");
        assertThat(started.fields().keySet()).containsExactly("direction", "job", "instance", "artifact", "bytes");
        assertThat(started.fields()).containsEntry("bytes", 1024L).containsEntry("artifact", "redis-0-redis.tar");

        assertThat(progress.text()).isEqualTo("Copying backup for job redis on redis/r-0 -- 50% complete");
        assertThat(progress.type()).isEqualTo("transfer_progress");
        assertThat(progress.fields().keySet())
                .containsExactly("direction", "job", "instance", "bytes", "total", "percent");
        assertThat(progress.fields()).containsEntry("percent", 50).containsEntry("total", 1024L);

        assertThat(verified.text()).isEqualTo("Finished validity checks -- for job redis on redis/r-0...");
        assertThat(verified.type()).isEqualTo("artifact_verified");
        assertThat(verified.fields().keySet()).containsExactly("direction", "job", "instance", "artifact", "bytes",
                "files", "checksums_sha256");
        assertThat(verified.fields()).containsEntry("files", 3).containsEntry("checksums_sha256", "ab12");
        assertThat(List.of(started.level(), progress.level(), verified.level())).containsOnly(Level.INFO);
    }

    @Test
    void runFinishedHasNoTextItsLevelFollowsTheExitCodeAndNullFieldsAreLeftOut() {
        RunFinished ok = new RunFinished("backup", "dep", 0, false, "/backups/dep_20240101T000000Z", List.of(), 42);
        RunFinished failed = new RunFinished("restore", "dep", 9, true, null, List.of("a", "b"), 7);

        assertThat(ok.text()).isNull();
        assertThat(ok.level()).isEqualTo(Level.INFO);
        assertThat(failed.level()).isEqualTo(Level.ERROR);
        assertThat(ok.type()).isEqualTo("run_finished");
        assertThat(ok.fields().keySet()).containsExactly("operation", "target", "exit_code", "cancelled", "artifact",
                "errors", "duration_ms");
        assertThat(failed.fields().keySet()).containsExactly("operation", "target", "exit_code", "cancelled",
                "errors", "duration_ms");
        assertThat(failed.fields()).containsEntry("exit_code", 9).containsEntry("cancelled", true)
                .containsEntry("errors", List.of("a", "b"));
    }

    @Test
    void theErrorReportGoesToStderrAndStatusLinesAndPromptsToStdout() {
        ErrorReported report = new ErrorReported("1 error occurred:\nerror 1:\nboom\n", List.of("boom"), 1);
        StatusLine status = new StatusLine("[15:04:05] Deployment 'redis' can be backed up.", "can_be_backed_up",
                "redis");
        OperatorPrompt prompt = new OperatorPrompt("\nStopping a backup can leave the system in bad state. "
                + "Are you sure you want to cancel? [yes/no]\n");

        assertThat(report.stream()).isEqualTo(Event.Stream.STDERR);
        assertThat(report.level()).isEqualTo(Level.ERROR);
        assertThat(report.type()).isEqualTo("error_report");
        assertThat(report.text()).isEqualTo("1 error occurred:\nerror 1:\nboom\n");
        assertThat(report.fields().keySet()).containsExactly("errors", "exit_code");

        assertThat(status.stream()).isEqualTo(Event.Stream.STDOUT);
        assertThat(status.type()).isEqualTo("status");
        assertThat(status.text()).isEqualTo("[15:04:05] Deployment 'redis' can be backed up.");
        assertThat(status.fields()).containsExactly(java.util.Map.entry("kind", "can_be_backed_up"),
                java.util.Map.entry("subject", "redis"));
        assertThat(new StatusLine("Starting backup...", "starting", null).fields().keySet()).containsExactly("kind");

        assertThat(prompt.stream()).isEqualTo(Event.Stream.STDOUT);
        assertThat(prompt.level()).isEqualTo(Level.WARN);
        assertThat(prompt.type()).isEqualTo("prompt");
        assertThat(prompt.text()).startsWith("\nStopping").endsWith("[yes/no]\n");
        assertThat(prompt.fields()).containsExactly(java.util.Map.entry("question",
                "Stopping a backup can leave the system in bad state. Are you sure you want to cancel? [yes/no]"));
    }

    @Test
    void logShorthandsEmitBbrTaggedLinesAtTheirLevel() {
        List<Event> seen = new ArrayList<>();
        Log log = seen::add;

        log.debug("d");
        log.info("i");
        log.warn("w");
        log.error("e");

        assertThat(seen).containsExactly(new LogLine(Level.DEBUG, "bbr", "d"), new LogLine(Level.INFO, "bbr", "i"),
                new LogLine(Level.WARN, "bbr", "w"), new LogLine(Level.ERROR, "bbr", "e"));
        assertThat(seen.get(0).type()).isEqualTo("log");
        assertThat(seen.get(0).fields()).containsExactly(java.util.Map.entry("tag", "bbr"));
        assertThat(seen.get(0).stream()).isEqualTo(Event.Stream.LOG);
    }

    @Test
    void taggedChangesOnlyTheTagOfLogLines() {
        List<Event> seen = new ArrayList<>();
        Log http = ((Log) seen::add).tagged("httpClient");
        PhaseStarted phase = new PhaseStarted("backup");
        LogLine alreadyTagged = new LogLine(Level.WARN, "ssh", "retrying");

        http.info("GET /deployments");
        http.emit(phase);
        http.emit(alreadyTagged);
        http.tagged("other").debug("nested");

        assertThat(seen).containsExactly(new LogLine(Level.INFO, "httpClient", "GET /deployments"), phase,
                new LogLine(Level.WARN, "httpClient", "retrying"), new LogLine(Level.DEBUG, "httpClient", "nested"));
        assertThat(seen.get(1)).isSameAs(phase);
    }

    @Test
    void aLogLineNeedsLevelTagAndText() {
        assertThatThrownBy(() -> new LogLine(null, "bbr", "x")).isInstanceOf(NullPointerException.class)
                .hasMessage("level");
        assertThatThrownBy(() -> new LogLine(Level.INFO, null, "x")).hasMessage("tag");
        assertThatThrownBy(() -> LogLine.of(Level.INFO, null)).hasMessage("text");
        Log.NONE.info("discarded"); // never throws, never prints
    }
}
