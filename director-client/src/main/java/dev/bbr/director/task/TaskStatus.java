package dev.bbr.director.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.director.DirectorException;
import dev.bbr.director.http.ApiResponse;
import dev.bbr.director.http.Json;
import java.util.Set;

/** The fields of {@code GET /tasks/N} that drive polling. */
public record TaskStatus(long id, String state, String description, String result) {
    private static final Set<String> RUNNING = Set.of("queued", "processing", "cancelling");

    public boolean running() {
        return RUNNING.contains(state);
    }

    public boolean succeeded() {
        return "done".equals(state);
    }

    /** Parses a task document; anything without a numeric id and a state is not a task. */
    public static TaskStatus from(ApiResponse response) {
        JsonNode json = Json.parse(response, "task");
        JsonNode id = json.get("id");
        String state = Json.text(json, "state");
        if (id == null || !id.canConvertToLong() || state == null) {
            throw new DirectorException(String.format(
                    "Expected a task from %s '%s' but got '%s'", response.method(), response.url(),
                    response.text()));
        }
        return new TaskStatus(id.asLong(), state, Json.text(json, "description"),
                Json.text(json, "result"));
    }
}
