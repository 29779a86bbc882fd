package dev.bbr.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectorClientSshTest {
    static final String KEY = "ssh-rsa AAAAB3NzaC1yc2E bbr\n";
    MockDirector director;

    @BeforeEach
    void start() throws Exception {
        director = new MockDirector();
    }

    @AfterEach
    void stop() {
        director.close();
    }

    private void setupTaskReturning(String result) {
        director.redirect("https://10.0.0.6:25555/tasks/8");
        director.task(8, "queued");
        director.task(8, "done");
        director.enqueue(200, "");
        director.enqueue(200, result);
    }

    @Test
    void setupPostsBoshCliBodyAndParsesHosts() throws Exception {
        DirectorClient client = director.basicClient();
        setupTaskReturning("[{\"command\":\"setup\",\"status\":\"success\",\"ip\":\"10.244.0.2\","
                + "\"host_public_key\":\"ssh-rsa AAAAhost root@x\\n\",\"id\":\"209b96c8\",\"index\":0,"
                + "\"job\":\"redis\",\"gateway_host\":\"jb\",\"gateway_user\":\"vcap\"}]\n");

        List<SshHost> hosts = client.sshSetup("redis", "redis", "bosh_3e32d12a96b0409", KEY);

        assertThat(hosts).containsExactly(new SshHost("success", "10.244.0.2",
                "ssh-rsa AAAAhost root@x\n", "209b96c8", 0, "redis"));
        RecordedRequest post = director.take();
        assertThat(post.getMethod()).isEqualTo("POST");
        assertThat(post.getTarget()).isEqualTo("/deployments/redis/ssh");
        assertThat(post.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = new ObjectMapper().readTree(post.getBody().utf8());
        assertThat(body).isEqualTo(new ObjectMapper().readTree("{\"command\":\"setup\","
                + "\"deployment_name\":\"redis\",\"target\":{\"job\":\"redis\",\"indexes\":[],\"ids\":[]},"
                + "\"params\":{\"user\":\"bosh_3e32d12a96b0409\",\"public_key\":\"ssh-rsa AAAAB3NzaC1yc2E bbr\\n\"}}"));
        RecordedRequest followed = director.take();
        assertThat(followed.getMethod()).isEqualTo("GET");
        assertThat(followed.getTarget()).isEqualTo("/tasks/8");
        assertThat(followed.getBodySize()).isZero();
        // the public key is not secret, but bodies are never logged anyway
        assertThat(director.allLogs()).doesNotContain("AAAAB3NzaC1yc2E");
    }

    @Test
    void emptySetupResultIsAnError() throws Exception {
        DirectorClient client = director.basicClient();
        setupTaskReturning("[]\n");
        assertThatThrownBy(() -> client.sshSetup("redis", "redis", "bosh_1", KEY))
                .isInstanceOf(DirectorException.class)
                .hasMessageStartingWith("Did not create any SSH sessions for the instances");
    }

    @Test
    void blankSetupResultIsAnError() throws Exception {
        DirectorClient client = director.basicClient();
        setupTaskReturning("");
        assertThatThrownBy(() -> client.sshSetup("redis", "redis", "bosh_1", KEY))
                .hasMessageStartingWith("Did not create any SSH sessions for the instances");
    }

    @Test
    void anyNonSuccessStatusFailsSetup() throws Exception {
        DirectorClient client = director.basicClient();
        setupTaskReturning("[{\"status\":\"success\",\"ip\":\"1\",\"id\":\"a\",\"job\":\"redis\"},"
                + "{\"status\":\"failure\",\"ip\":\"2\",\"id\":\"b\",\"job\":\"redis\"}]\n");
        assertThatThrownBy(() -> client.sshSetup("redis", "redis", "bosh_1", KEY))
                .hasMessageStartingWith("Failed to set up SSH session for one of the instances")
                .hasMessageContaining("redis/b");
    }

    @Test
    void cleanupWaitsForItsTask() throws Exception {
        DirectorClient client = director.basicClient();
        director.redirect("/tasks/9");
        director.task(9, "queued");
        director.task(9, "done");
        director.enqueue(200, "");
        director.enqueue(200, "[{\"command\":\"cleanup\",\"status\":\"success\"}]\n");

        client.sshCleanup("redis", "redis", List.of("209b96c8"), "^bosh_1");

        RecordedRequest post = director.take();
        JsonNode body = new ObjectMapper().readTree(post.getBody().utf8());
        assertThat(body.path("command").asText()).isEqualTo("cleanup");
        assertThat(body.path("target").toString())
                .isEqualTo("{\"job\":\"redis\",\"indexes\":[\"209b96c8\"],\"ids\":[\"209b96c8\"]}");
        assertThat(body.path("params").toString()).isEqualTo("{\"user_regex\":\"^bosh_1\"}");
        assertThat(director.take().getTarget()).isEqualTo("/tasks/9");
        assertThat(director.take().getTarget()).isEqualTo("/tasks/9");
        assertThat(director.server.getRequestCount()).isEqualTo(6);
    }

    @Test
    void failedCleanupTaskIsAnError() throws Exception {
        DirectorClient client = director.basicClient();
        director.redirect("/tasks/9");
        director.task(9, "processing");
        director.task(9, "error");
        director.enqueue(200, "");
        assertThatThrownBy(() -> client.sshCleanup("redis", "redis", List.of(), "^bosh_1"))
                .isInstanceOf(TaskFailedException.class);
    }

    @Test
    void cleanupServerErrorIsAnError() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(500, "");
        assertThatThrownBy(() -> client.sshCleanup("redis", "redis", List.of(), "^bosh_1"))
                .isInstanceOf(DirectorResponseException.class)
                .hasMessage("Director responded with non-successful status code '500' response ''");
        assertThat(director.server.getRequestCount()).isEqualTo(2);
    }
}
