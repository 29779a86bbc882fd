package dev.bbr.lab;

import org.awaitility.Awaitility;
import java.time.Duration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Just enough of the bosh-cli task protocol (302 -> poll -> result) to drive the simulator from tests. */
final class DirectorClientStub {
    static final ObjectMapper JSON = new ObjectMapper();
    private final TestHttp http;
    private final String auth;

    DirectorClientStub(TestHttp http, String auth) {
        this.http = http;
        this.auth = auth;
    }

    /** Follows the 302, polls until terminal, returns the final task JSON. */
    JsonNode awaitTask(HttpResponse<String> redirect) throws Exception {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        JsonNode first = JSON.readTree(http.get(location, auth).body());
        int id = first.get("id").asInt();
        JsonNode[] task = {first};
        Awaitility.await("task " + id + " done").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> terminal(task[0] = JSON.readTree(http.get("/tasks/" + id, auth).body())));
        return task[0];
    }

    String result(JsonNode task) throws Exception {
        return http.get("/tasks/" + task.get("id").asInt() + "/output?type=result", auth).body();
    }

    HttpResponse<String> ssh(String deployment, String body) throws Exception {
        return http.post("/deployments/" + deployment + "/ssh", auth, "application/json", body);
    }

    static String setupBody(String deployment, String job, String indexOrId, String user, String publicKey) {
        String ids = indexOrId == null ? "[]" : "[\"" + indexOrId + "\"]";
        return "{\"command\":\"setup\",\"deployment_name\":\"" + deployment + "\",\"target\":{\"job\":\"" + job
                + "\",\"indexes\":" + ids + ",\"ids\":" + ids + "},\"params\":{\"user\":\"" + user
                + "\",\"public_key\":" + quote(publicKey) + "}}";
    }

    static String cleanupBody(String deployment, String job, String indexOrId, String user) {
        String ids = indexOrId == null ? "[]" : "[\"" + indexOrId + "\"]";
        return "{\"command\":\"cleanup\",\"deployment_name\":\"" + deployment + "\",\"target\":{\"job\":\"" + job
                + "\",\"indexes\":" + ids + ",\"ids\":" + ids + "},\"params\":{\"user_regex\":\"^" + user + "\"}}";
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean terminal(JsonNode task) {
        String s = task.path("state").asText();
        return !s.equals("queued") && !s.equals("processing") && !s.equals("cancelling");
    }
}
