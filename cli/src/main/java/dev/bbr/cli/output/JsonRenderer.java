package dev.bbr.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbr.core.event.Event;
import dev.bbr.core.event.Level;
import dev.bbr.core.event.OperatorPrompt;
import dev.bbr.core.log.Log;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders events as JSON lines ({@code --log-format json}): one object per event, on stdout, with
 * stable field names documented in docs/json-output.md: {@code time} (UTC, ISO-8601, milliseconds),
 * {@code run_id}, {@code level}, {@code type}, {@code message} (bbr's text, when it has one), then
 * the event's own fields; a run's context (e.g. the deployment of an {@code --all-deployments} log)
 * is added to every line.
 */
public final class JsonRenderer implements Log {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final boolean debug;
    private final PausableOutput out;
    private final Clock clock;
    private final String runId;
    private final Map<String, Object> context;

    public JsonRenderer(boolean debug, PausableOutput out, Clock clock, String runId, Map<String, Object> context) {
        this.debug = debug;
        this.out = out;
        this.clock = clock;
        this.runId = runId;
        this.context = Map.copyOf(context);
    }

    @Override
    public void emit(Event event) {
        if (event.level() == Level.DEBUG && !debug) {
            return;
        }
        String line = render(event);
        if (event instanceof OperatorPrompt) {
            out.printDirect(line + "\n");
        } else {
            out.println(line);
        }
    }

    String render(Event event) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("time", TIME.format(clock.instant()));
        object.put("run_id", runId);
        object.put("level", event.level().name().toLowerCase(java.util.Locale.ROOT));
        object.put("type", event.type());
        if (event.text() != null) {
            object.put("message", event.text());
        }
        object.putAll(context);
        event.fields().forEach(object::putIfAbsent);
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON: " + event.type(), e);
        }
    }
}
