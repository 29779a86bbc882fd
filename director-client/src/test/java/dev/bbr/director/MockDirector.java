package dev.bbr.director;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A MockWebServer speaking HTTPS with a throw-away CA, plus canned Director answers. */
final class MockDirector implements AutoCloseable {
    static final TestCerts CERTS = TestCerts.create("mock-bosh-ca");
    static final String PASSWORD = "s3cret-Pa55word";

    final MockWebServer server = new MockWebServer();
    final List<String> logs = new CopyOnWriteArrayList<>();
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    MockDirector() throws IOException {
        server.useHttps(CERTS.serverSocketFactory());
        server.start();
    }

    String baseUrl() {
        return "https://" + server.getHostName() + ":" + server.getPort();
    }

    DirectorTarget target() {
        return DirectorTarget.parse(baseUrl());
    }

    /** Builder with fast timings, no real sleeping, debug captured in {@link #logs}. */
    DirectorClient.Builder builder() {
        return DirectorClient.builder()
                .target(target())
                .caCert(CaCert.parse(CERTS.caPem()))
                .credentials("admin", PASSWORD)
                .debug(true)
                .debugSink(logs::add)
                .sleeper(sleeps::add)
                .taskPolling(Duration.ofMillis(1), Duration.ofMillis(4))
                .retries(3, Duration.ofMillis(1))
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5));
    }

    /** Enqueues a basic-auth /info and builds a client (consumes one request). */
    DirectorClient basicClient() throws InterruptedException {
        enqueue(200, "{\"user_authentication\":{\"type\":\"basic\",\"options\":{}}}");
        DirectorClient client = builder().build();
        take(); // /info
        return client;
    }

    void enqueue(int status, String body) {
        server.enqueue(new MockResponse.Builder().code(status).body(body).build());
    }

    void enqueue(MockResponse response) {
        server.enqueue(response);
    }

    void redirect(String location) {
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", location).build());
    }

    void task(long id, String state) {
        enqueue(200, "{\"id\":" + id + ",\"state\":\"" + state
                + "\",\"description\":\"retrieve vm-stats\",\"result\":\"\"}");
    }

    void noNewEvents() {
        server.enqueue(new MockResponse.Builder().code(416).body("Byte range unsatisfiable").build());
    }

    RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("expected another request");
        }
        return r;
    }

    static String path(RecordedRequest r) {
        return r.getTarget();
    }

    String allLogs() {
        return String.join("\n", logs);
    }

    @Override
    public void close() {
        server.close();
    }
}
