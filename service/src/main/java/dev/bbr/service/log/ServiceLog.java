package dev.bbr.service.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbr.core.event.Event;
import dev.bbr.core.event.Level;
import dev.bbr.core.log.Log;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The service's output: one JSON object per line on stdout (for journald, a container runtime or a
 * log shipper), in the shape of {@code --log-format json} (docs/json-output.md: {@code time},
 * {@code run_id}, {@code level}, {@code type}, {@code message}, then the fields), so one parser reads
 * both. Every line carries a run id: a job run's id on everything the run does, the service's own id
 * on the rest. Debug events of the workflows are left out.
 */
public final class ServiceLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final Clock clock;
    private final String serviceRunId;

    public ServiceLog(PrintStream out, Clock clock, String serviceRunId) {
        this.out = out;
        this.clock = clock;
        this.serviceRunId = serviceRunId;
    }

    /** A line of the service itself. */
    public void emit(Level level, String type, String message, Map<String, Object> fields) {
        write(serviceRunId, level, type, message, fields);
    }

    public void info(String type, String message, Map<String, Object> fields) {
        emit(Level.INFO, type, message, fields);
    }

    public void warn(String type, String message, Map<String, Object> fields) {
        emit(Level.WARN, type, message, fields);
    }

    /** A line of one job run. */
    public void run(String runId, Level level, String type, String message, Map<String, Object> fields) {
        write(runId, level, type, message, fields);
    }

    /**
     * Where a workflow run by a job sends its events: the same lines, with the run's id and the
     * context (job, deployment, backup_guid) on each.
     */
    public Log forRun(String runId, Map<String, Object> context) {
        Map<String, Object> fixed = Map.copyOf(context);
        return event -> {
            if (event.level() == Level.DEBUG) {
                return;
            }
            Map<String, Object> fields = new LinkedHashMap<>(fixed);
            event.fields().forEach(fields::putIfAbsent);
            write(runId, event.level(), event.type(), textOf(event), fields);
        };
    }

    private static String textOf(Event event) {
        return event.text();
    }

    private void write(String runId, Level level, String type, String message, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", TIME.format(clock.instant()));
        line.put("run_id", runId);
        line.put("level", level.name().toLowerCase(Locale.ROOT));
        line.put("type", type);
        if (message != null) {
            line.put("message", message);
        }
        fields.forEach((k, v) -> {
            if (v != null) {
                line.putIfAbsent(k, v);
            }
        });
        String text;
        try {
            text = JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            text = "{\"run_id\":\"" + runId + "\",\"level\":\"error\",\"type\":\"log_failure\",\"message\":\"a log line"
                    + " could not be written as JSON\"}";
        }
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
