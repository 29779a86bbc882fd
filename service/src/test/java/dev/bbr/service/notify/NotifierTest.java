package dev.bbr.service.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.bbr.service.config.ServiceConfig;
import dev.bbr.service.job.JobRun;
import dev.bbr.service.log.ServiceLog;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook against a real HTTP receiver (retries, back-off, what is final) and email through GreenMail. */
class NotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    /** A receiver answering the given statuses in turn (the last one from then on). */
    private String receiver(int... statuses) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/hook/T0/secret", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)];
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/T0/secret";
    }

    private WebhookNotifier webhook(String url, int attempts) throws Exception {
        return new WebhookNotifier(new ServiceConfig.Webhook(secret(url), attempts, Duration.ofSeconds(5),
                Duration.ofSeconds(2)), pauses::add);
    }

    private static dev.bbr.service.config.Secret secret(String value) throws Exception {
        Constructor<dev.bbr.service.config.Secret> c = dev.bbr.service.config.Secret.class
                .getDeclaredConstructor(String.class, String.class);
        c.setAccessible(true);
        return c.newInstance(value, "test");
    }

    private static Notification failedBackup() {
        JobRun run = new JobRun("5f0c", "nightly", "backup", "schedule", "2026-12-07T02:00:00Z",
                "2026-12-07T02:00:00Z", "2026-12-07T02:01:00Z", JobRun.FAILURE, 60.0,
                List.of(new JobRun.DeploymentResult("redis", JobRun.FAILURE, "backup", "/b/redis_20261207T020000Z", 0,
                        -1, 59.5, "Error attempting to run backup for job redis")), List.of());
        return new Messages("prod", "jumpbox").jobFinished(run);
    }

    @Test
    void aFailingReceiverIsRetriedWithDoublingBackOffUntilItAccepts() throws Exception {
        webhook(receiver(500, 503, 200), 3).send(failedBackup());
        assertThat(bodies).hasSize(3);
        assertThat(pauses).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        JsonNode body = JSON.readTree(bodies.get(0));
        assertThat(body.path("event").asText()).isEqualTo("job_failed");
        assertThat(body.path("run_id").asText()).isEqualTo("5f0c");
        assertThat(body.path("job").asText()).isEqualTo("nightly");
        assertThat(body.path("deployment").asText()).isEqualTo("redis");
        assertThat(body.path("phase").asText()).isEqualTo("backup");
        assertThat(body.path("error").asText()).startsWith("Error attempting to run backup");
        assertThat(body.path("artifact").asText()).isEqualTo("/b/redis_20261207T020000Z");
        assertThat(body.path("duration_in_seconds").asDouble()).isEqualTo(60.0);
        assertThat(body.path("destination_name").asText()).isEqualTo("prod");
    }

    @Test
    void givingUpNamesTheAttemptsButNeverTheSecretUrl() throws Exception {
        String url = receiver(500);
        assertThatThrownBy(() -> webhook(url, 3).send(failedBackup()))
                .isInstanceOf(Notifier.NotifyException.class)
                .hasMessage("the webhook answered HTTP 500 (3 attempts)")
                .satisfies(e -> assertThat(((Notifier.NotifyException) e).attempts()).isEqualTo(3));
        assertThat(bodies).hasSize(3);

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort + "/hook/T0/secret";
        assertThatThrownBy(() -> webhook(unreachable, 2).send(failedBackup()))
                .hasMessageStartingWith("the webhook could not be reached: ConnectException")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aClientErrorIsFinal() throws Exception {
        assertThatThrownBy(() -> webhook(receiver(404), 5).send(failedBackup()))
                .hasMessage("the webhook answered HTTP 404");
        assertThat(bodies).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void anEmailGoesThroughSmtpAndAFailedChannelIsOnlyLogged() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            EmailNotifier email = new EmailNotifier(new ServiceConfig.Email("127.0.0.1", port,
                    ServiceConfig.Email.Tls.NONE, Optional.empty(), Optional.empty(), "bbr@example.com",
                    List.of("ops@example.com"), Duration.ofSeconds(10)));
            ByteArrayOutputStream logged = new ByteArrayOutputStream();
            ServiceLog log = new ServiceLog(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC(), "s");
            Notifications notifications = new Notifications(List.of(webhook(receiver(500), 2), email), log);
            notifications.send(failedBackup());
            notifications.close(Duration.ofSeconds(30));

            MimeMessage[] received = smtp.getReceivedMessages();
            assertThat(received).hasSize(1);
            assertThat(received[0].getSubject()).isEqualTo("bbr: backup job nightly failure for redis");
            assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
            assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(received[0]))
                    .contains("run id:      5f0c", "redis: failure in backup");
            String lines = logged.toString(StandardCharsets.UTF_8);
            assertThat(lines).contains("\"type\":\"notification_failed\"", "\"channel\":\"webhook\"",
                    "\"attempts\":2", "\"type\":\"notification_sent\"", "\"channel\":\"email\"")
                    .doesNotContain("/hook/T0/secret");
        } finally {
            smtp.stop();
        }
    }
}
