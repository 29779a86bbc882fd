package dev.bbr.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectorClientTasksTest {
    static final String VM_LINE_1 = "{\"vm_cid\":\"vm-1\",\"active\":true,\"ips\":[\"10.244.0.2\"],"
            + "\"job_name\":\"redis\",\"index\":0,\"job_state\":\"running\",\"az\":\"z1\","
            + "\"id\":\"209b96c8\",\"bootstrap\":true,\"vitals\":{\"mem\":{\"kb\":\"605008\"}},"
            + "\"processes\":[{\"mem\":{\"kb\":776}}],\"unknown_future_field\":1}";
    static final String VM_LINE_2 = "{\"ips\":[\"10.244.0.3\"],\"job_name\":\"redis\",\"index\":null,"
            + "\"id\":\"3b30123e\",\"bootstrap\":false,\"az\":null,\"active\":null}";

    MockDirector director;

    @BeforeEach
    void start() throws Exception {
        director = new MockDirector();
    }

    @AfterEach
    void stop() {
        director.close();
    }

    @Test
    void vmsFollowsRedirectUsingOnlyPathAndQueryOfLocation() throws Exception {
        DirectorClient client = director.basicClient();
        // The Director echoes whatever Host it saw; only path+query may be trusted.
        director.redirect("https://elsewhere.example:4443/tasks/7?from=redirect");
        director.task(7, "queued");                 // the redirect GET
        director.task(7, "processing");             // poll 1
        director.noNewEvents();
        director.task(7, "done");                   // poll 2
        director.enqueue(new MockResponse.Builder().code(206)
                .setHeader("Content-Range", "bytes 0-9/10").body("{\"a\":1}\n\n\n").build());
        director.enqueue(200, VM_LINE_1 + "\n" + VM_LINE_2 + "\n");

        List<VmInfo> vms = client.vms("redis");

        assertThat(vms).containsExactly(
                new VmInfo("209b96c8", "redis", 0, List.of("10.244.0.2"), true, "z1", true),
                new VmInfo("3b30123e", "redis", null, List.of("10.244.0.3"), false, null, null));

        RecordedRequest vmsRequest = director.take();
        assertThat(vmsRequest.getTarget()).isEqualTo("/deployments/redis/vms?format=full");
        assertThat(vmsRequest.getHeaders().get("Authorization")).startsWith("Basic ");
        RecordedRequest followed = director.take();
        assertThat(followed.getMethod()).isEqualTo("GET");
        assertThat(followed.getTarget()).isEqualTo("/tasks/7?from=redirect");
        assertThat(followed.getHeaders().get("Authorization")).startsWith("Basic ");
        assertThat(followed.getUrl().port()).isEqualTo(director.server.getPort());
        assertThat(director.take().getTarget()).isEqualTo("/tasks/7");
        RecordedRequest firstEvents = director.take();
        assertThat(firstEvents.getTarget()).isEqualTo("/tasks/7/output?type=event");
        assertThat(firstEvents.getHeaders().get("Range")).isEqualTo("bytes=0-");
        assertThat(director.take().getTarget()).isEqualTo("/tasks/7");
        assertThat(director.take().getHeaders().get("Range")).isEqualTo("bytes=0-");
        assertThat(director.take().getTarget()).isEqualTo("/tasks/7/output?type=result");
        // polling backs off: one sleep (running once), from the configured initial delay
        assertThat(director.sleeps).containsExactly(Duration.ofMillis(1));
    }

    @Test
    void relativeLocationAnd303AreFollowedToo() throws Exception {
        DirectorClient client = director.basicClient();
        director.enqueue(new MockResponse.Builder().code(303).setHeader("Location", "/tasks/8").build());
        director.task(8, "done");
        director.task(8, "done");
        director.enqueue(200, "");
        director.enqueue(200, "");

        assertThat(client.vms("redis")).isEmpty();
        director.take();
        assertThat(director.take().getTarget()).isEqualTo("/tasks/8");
    }

    @Test
    void eventOffsetAdvancesAcross206And416AndEmptyResultIsEmptyList() throws Exception {
        DirectorClient client = director.basicClient();
        director.redirect("/tasks/9");
        director.task(9, "processing");
        director.task(9, "processing");
        director.enqueue(new MockResponse.Builder().code(206).body("{\"stage\":\"x\"}\n").build());
        director.task(9, "processing");
        director.noNewEvents();
        director.task(9, "done");
        director.noNewEvents();
        director.enqueue(204, "");

        assertThat(client.vms("redis")).isEmpty();

        director.take();
        director.take();
        director.take();
        assertThat(director.take().getHeaders().get("Range")).isEqualTo("bytes=0-");
        director.take();
        assertThat(director.take().getHeaders().get("Range")).isEqualTo("bytes=14-");
        director.take();
        assertThat(director.take().getHeaders().get("Range")).isEqualTo("bytes=14-");
        // back-off grows x1.5 from 1 ms and is capped at 4 ms
        assertThat(director.sleeps).containsExactly(Duration.ofMillis(1), Duration.ofMillis(1));
    }

    @Test
    void failedTaskCarriesStateDescriptionAndEventError() throws Exception {
        DirectorClient client = director.basicClient();
        director.redirect("/tasks/10");
        director.task(10, "queued");
        director.enqueue(200, "{\"id\":10,\"state\":\"error\",\"description\":\"ssh: setup\","
                + "\"result\":\"No instances matched...\"}");
        director.enqueue(200, "{\"time\":1,\"error\":{\"code\":70001,"
                + "\"message\":\"No instances matched {\\\"job\\\"=>\\\"nope\\\"}\"}}\n");

        assertThatThrownBy(() -> client.sshSetup("redis", "nope", "bosh_x", "ssh-rsa AAA"))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.taskId()).isEqualTo(10);
                    assertThat(e.state()).isEqualTo("error");
                    assertThat(e.description()).isEqualTo("ssh: setup");
                    assertThat(e.result()).isEqualTo("No instances matched...");
                    assertThat(e.eventError()).isEqualTo("No instances matched {\"job\"=>\"nope\"}");
                })
                .hasMessageStartingWith("Expected task '10' to succeed but state is 'error'")
                .hasMessageContaining("No instances matched {\"job\"=>\"nope\"}");
    }

    @Test
    void cancelledTaskWithoutEventsUsesResult() throws Exception {
        DirectorClient client = director.basicClient();
        director.redirect("/tasks/11");
        director.task(11, "queued");
        director.enqueue(200, "{\"id\":11,\"state\":\"cancelled\",\"result\":\"task cancelled\"}");
        director.enqueue(200, "");

        assertThatThrownBy(() -> client.vms("redis"))
                .isInstanceOf(TaskFailedException.class)
                .hasMessage("Expected task '11' to succeed but state is 'cancelled': task cancelled");
    }

    @Test
    void taskThatNeverFinishesHitsTheOverallDeadline() throws Exception {
        director.enqueue(200, "{\"user_authentication\":{\"type\":\"basic\"}}");
        DirectorClient client = director.builder()
                .taskTimeout(Duration.ofMillis(300))
                .taskPolling(Duration.ofMillis(20), Duration.ofMillis(40))
                .sleeper(d -> {
                    try {
                        Thread.sleep(d.toMillis());
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                })
                .build();
        director.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String target = request.getTarget();
                if (target.contains("/vms")) {
                    return new MockResponse.Builder().code(302).setHeader("Location", "/tasks/12").build();
                }
                if (target.contains("output")) {
                    return new MockResponse.Builder().code(416).build();
                }
                return new MockResponse.Builder().code(200)
                        .body("{\"id\":12,\"state\":\"processing\"}").build();
            }
        });

        assertThatThrownBy(() -> client.vms("redis"))
                .isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
                    assertThat(e.taskId()).isEqualTo(12);
                    assertThat(e.lastState()).isEqualTo("processing");
                })
                .hasMessageContaining("task '12'")
                .hasMessageContaining(director.baseUrl() + "/tasks/12")
                .hasMessageContaining("300ms");
    }

    @Test
    void tooManyRedirectsStop() throws Exception {
        DirectorClient client = director.basicClient();
        for (int i = 0; i < 11; i++) {
            director.redirect("/tasks/1");
        }
        assertThatThrownBy(client::deployments).hasMessageContaining("stopped after 10 redirects");
    }

    @Test
    void nonTaskBodyAfterRedirectIsAClearError() throws Exception {
        DirectorClient client = director.basicClient();
        director.redirect("/tasks/13");
        director.enqueue(200, "[]");
        assertThatThrownBy(() -> client.vms("redis"))
                .hasMessageContaining("Expected a task from GET '" + director.baseUrl() + "/tasks/13'");
    }

    @Test
    void fullEventLogReturnedWith200OnlyContributesNewBytes() throws Exception {
        DirectorClient client = director.basicClient();
        String first = "{\"time\":1,\"stage\":\"a\",\"state\":\"started\"}\n";
        String error = "{\"time\":2,\"error\":{\"code\":100,\"message\":\"agent exploded\"}}\n";
        director.redirect("/tasks/14");
        director.task(14, "processing");
        director.task(14, "processing");
        director.enqueue(new MockResponse.Builder().code(206).body(first).build());
        director.enqueue(200, "{\"id\":14,\"state\":\"error\",\"result\":\"agent expl...\"}");
        // Range ignored: the whole log comes back; the error line is the only new part
        director.enqueue(200, first + error);

        assertThatThrownBy(() -> client.vms("redis"))
                .isInstanceOfSatisfying(TaskFailedException.class,
                        e -> assertThat(e.eventError()).isEqualTo("agent exploded"))
                .hasMessage("Expected task '14' to succeed but state is 'error': agent exploded");
        for (int i = 0; i < 5; i++) {
            director.take();
        }
        assertThat(director.take().getHeaders().get("Range")).isEqualTo("bytes=" + first.length() + "-");
    }
}
