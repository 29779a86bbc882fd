package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.BackupE2eSupport.exec;
import static dev.bbr.cli.e2e.BackupE2eSupport.failScript;
import static dev.bbr.cli.e2e.BackupE2eSupport.remoteArtifactRootExists;
import static dev.bbr.cli.e2e.BackupE2eSupport.sleepScript;
import static dev.bbr.cli.e2e.BackupE2eSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.bbr.cli.CliRun;
import dev.bbr.cli.e2e.BackupE2eSupport.Bbr;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import dev.bbr.store.s3.S3Options;
import dev.bbr.store.s3.S3Stores;
import dev.bbr.store.testkit.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 against the lab: real {@code bbr service run} processes with schedules seconds apart, a
 * webhook receiver and an SMTP server (GreenMail) in the test. Backups appear, retention prunes, a
 * run still going when its next time comes is skipped, a drill restores into another deployment and
 * its check runs, a failing job sends one webhook and one email, /metrics and the API answer (and
 * refuse without the token), two services on one destination never run an occurrence twice, and
 * SIGTERM leaves nothing locked and no temporary user.
 */
class ServiceE2ETest {
    private static final TestServer S3PROXY = TestServer.s3proxy();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "e2e-token-7f3a";

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/service.yml");

    @TempDir
    Path tmp;

    private Lab l;
    private Path backups;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() throws IOException {
        l = lab.get();
        BackupE2eSupport.reset(l);
        backups = Files.createDirectories(tmp.resolve("backups"));
    }

    private LabInstance vm(String deployment) {
        return l.instance(deployment, "db", 0);
    }

    /** The config's head: the lab's Director, the destination, a state directory of the service's own. */
    private String config(String stateDir, String rest) {
        return "director: {url: \"" + l.directorUrl() + "\", client: " + l.client()
                + ", client_secret_env: BOSH_CLIENT_SECRET, ca_cert_file: \"" + l.caCertPath() + "\"}\n"
                + "destination: \"" + backups + "\"\n"
                + "destination_name: e2e\n"
                + "state_dir: \"" + tmp.resolve(stateDir) + "\"\n" + rest;
    }

    private Bbr service(String name, String yaml) throws IOException {
        return service(name, yaml, Map.of());
    }

    private Bbr service(String name, String yaml, Map<String, String> env) throws IOException {
        Path file = Files.writeString(tmp.resolve(name + ".yml"), yaml);
        ProcessBuilder pb = BackupE2eSupport.subprocess(l, List.of(), "service", "run", "--config", file.toString());
        pb.environment().putAll(env);
        pb.environment().put("BBR_SERVICE_TOKEN", TOKEN);
        pb.directory(tmp.toFile());
        return new Bbr(pb);
    }

    /** The service's JSON lines so far (each must parse: nothing else is printed). */
    private static List<JsonNode> lines(Bbr bbr) {
        List<JsonNode> out = new ArrayList<>();
        for (Bbr.Line line : bbr.out) {
            try {
                out.add(JSON.readTree(line.text()));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line.text(), e);
            }
        }
        return out;
    }

    private static List<JsonNode> ofType(Bbr bbr, String type) {
        return lines(bbr).stream().filter(n -> n.path("type").asText().equals(type)).toList();
    }

    private static int port(Bbr bbr) {
        waitFor("the service to start", 60, () -> !ofType(bbr, "service_started").isEmpty() || !bbr.process.isAlive());
        String listen = ofType(bbr, "service_started").get(0).path("listen").asText();
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    private HttpResponse<String> get(int port, String path, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (withToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Path> backupsOf(String deployment) throws IOException {
        try (Stream<Path> s = Files.list(backups)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(deployment + "_"))
                    .sorted().toList();
        }
    }

    private List<Path> completeBackupsOf(String deployment) throws IOException {
        return backupsOf(deployment).stream().filter(p -> !Files.exists(p.resolve("BACKUP-INCOMPLETE"))).toList();
    }

    /** A 6-field schedule that fires once, {@code seconds} from now (UTC). */
    private static String onceIn(int seconds) {
        ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(seconds);
        return at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " " + at.getDayOfMonth() + " "
                + at.getMonthValue() + " *";
    }

    @Test
    void scheduledBackupsArePrunedOverlapIsSkippedAndMetricsAndTheApiNeedTheToken() throws Exception {
        // each backup of alpha takes over 5 s; it is scheduled every 4 s, so every other occurrence overlaps
        sleepScript(vm("alpha"), "slow", "backup", 5);
        String yaml = config("state-a", """
                retention: {keep_last: 2}
                jobs:
                  - {name: nightly, type: backup, deployments: [alpha], schedule: "*/4 * * * * *"}
                  - {name: prune, type: prune, schedule: "2/4 * * * * *"}
                http: {listen: "127.0.0.1:0", token_env: BBR_SERVICE_TOKEN}
                """);
        try (Bbr bbr = service("a", yaml)) {
            int port = port(bbr);
            waitFor("three backups and a prune that deleted one", 90, () -> !ofType(bbr, "backup_deleted").isEmpty()
                    || !bbr.process.isAlive());
            assertThat(bbr.process.isAlive()).as(bbr.out() + bbr.err()).isTrue();
            assertThat(completeBackupsOf("alpha").size()).as("complete backups left by keep_last 2").isBetween(2, 3);
            assertThat(ofType(bbr, "job_skipped")).as("occurrences skipped while a backup ran")
                    .anySatisfy(n -> assertThat(n.path("reason").asText()).isEqualTo("overlap"));
            JsonNode finished = ofType(bbr, "deployment_finished").stream()
                    .filter(n -> n.path("job").asText().equals("nightly")).findFirst().orElseThrow();
            assertThat(finished.path("result").asText()).isEqualTo("success");
            assertThat(finished.path("backup_guid").asText()).isEqualTo(finished.path("run_id").asText());
            assertThat(finished.path("destination_name").asText()).isEqualTo("e2e");
            assertThat(finished.path("size_in_bytes").asLong()).isPositive();
            assertThat(finished.path("duration_in_seconds").asDouble()).isGreaterThan(5);
            assertThat(lines(bbr)).allSatisfy(n -> assertThat(n.path("run_id").asText()).hasSize(32));
            assertThat(bbr.out()).as("the Director's secret never reaches the log").doesNotContain(l.clientSecret());

            assertThat(get(port, "/healthz", false).statusCode()).isEqualTo(200);
            assertThat(get(port, "/metrics", false).statusCode()).isEqualTo(401);
            assertThat(get(port, "/api/v1/backups", false).statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = get(port, "/metrics", true);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("bbr_job_last_success_timestamp_seconds{deployment=\"alpha\",job=\"nightly\"}",
                    "bbr_job_last_duration_seconds{deployment=\"alpha\",job=\"nightly\"}",
                    "bbr_backup_last_size_bytes{deployment=\"alpha\",job=\"nightly\"}",
                    "bbr_job_last_result{deployment=\"alpha\",job=\"nightly\"} 1.0",
                    "bbr_backups_kept{deployment=\"alpha\"} 2.0",
                    "bbr_job_skipped_total{job=\"nightly\",reason=\"overlap\"}");

            JsonNode listed = JSON.readTree(get(port, "/api/v1/backups", true).body());
            String newest = completeBackupsOf("alpha").get(completeBackupsOf("alpha").size() - 1).getFileName().toString();
            assertThat(listed.path("backups").findValuesAsText("backup")).contains(newest);
            JsonNode history = JSON.readTree(get(port, "/api/v1/jobs/nightly/history", true).body());
            assertThat(history.path("runs").size()).isGreaterThanOrEqualTo(2);
            assertThat(history.path("runs").get(0).path("deployments").get(0).path("deployment").asText())
                    .isEqualTo("alpha");

            // download one backup as a stream, and upload it again: it is stored as a new, verified backup
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/backups/" + newest)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            List<String> entries = new ArrayList<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(download.body()))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    entries.add(e.getName());
                }
            }
            assertThat(entries).startsWith(newest + "/metadata", newest + "/bbr-sidecar.json")
                    .contains(newest + "/db-0-data.tar");
            HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/backups")).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(download.body())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            JsonNode uploaded = JSON.readTree(upload.body());
            assertThat(uploaded.path("verdict").asText()).isEqualTo("verified");
            assertThat(uploaded.path("uploaded_as").asText()).isEqualTo(newest);
            HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/backups")).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("not a tar")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(garbage.statusCode()).isEqualTo(400);

            bbr.signal("TERM");
            assertThat(bbr.await(120)).as(bbr.err()).isZero();
        }
        BackupE2eSupport.assertNothingLeftLocked(l, "alpha");
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void aFailingJobSendsOneWebhookAndOneEmailAndADrillRestoresAndChecks() throws Exception {
        // a backup of alpha to drill with, made by the CLI into the same destination
        Map<String, String> env = new HashMap<>(l.env());
        CliRun made = CliRun.run(null, env, new String[] {"deployment", "--deployment", "alpha", "backup",
            "--artifact-path", backups.toString()});
        assertThat(made.exitCode()).as(made.err()).isZero();
        BackupE2eSupport.reset(l);
        failScript(vm("beta"), "data", "backup", "disk on fire");
        // beta's data differs from alpha's before the drill: the drill's restore must replace it
        exec(vm("beta"), "echo drill-me > /var/vcap/store/data/extra-before-drill");
        Path marker = tmp.resolve("check-ran");
        String check = "set -e; a=$(cd '" + vm("alpha").varVcap().resolve("store/data") + "' && find . -type f -print0 | sort -z"
                + " | xargs -0 sha256sum); b=$(cd '" + vm("beta").varVcap().resolve("store/data") + "' && find . -type f"
                + " -print0 | sort -z | xargs -0 sha256sum); [ \"$a\" = \"$b\" ]; echo \"$BBR_DRILL_SOURCE $BBR_DRILL_TARGET"
                + " $BBR_DRILL_BACKUP\" > '" + marker + "'";

        List<String> hooks = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            hooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        int smtpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            smtpPort = s.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        String yaml = config("state-b", "jobs:\n"
                + "  - {name: broken, type: backup, deployments: [beta], schedule: \"" + onceIn(10) + "\"}\n"
                + "  - name: drill\n    type: drill\n    deployment: alpha\n    target_deployment: beta\n"
                + "    schedule: \"" + onceIn(12) + "\"\n"
                + "    check: " + JSON.writeValueAsString(check) + "\n"
                + "notifications:\n"
                + "  webhook: {url: \"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}\n"
                + "  email: {host: 127.0.0.1, port: " + smtpPort + ", tls: none, from: bbr@example.com,"
                + " to: [ops@example.com]}\n");
        try (Bbr bbr = service("b", yaml)) {
            waitFor("the failed backup and the drill", 120, () -> ofType(bbr, "job_finished").size() == 2
                    || !bbr.process.isAlive());
            waitFor("the notifications", 30, () -> !ofType(bbr, "notification_sent").isEmpty()
                    && smtp.getReceivedMessages().length > 0);
            bbr.signal("TERM");
            assertThat(bbr.await(60)).as(bbr.err()).isZero();

            Map<String, String> results = new HashMap<>();
            ofType(bbr, "job_finished").forEach(n -> results.put(n.path("job").asText(), n.path("result").asText()));
            assertThat(results).as(bbr.out()).containsEntry("broken", "failure").containsEntry("drill", "success");
            assertThat(hooks).as("one webhook: the failure (successes are not told)").hasSize(1);
            JsonNode hook = JSON.readTree(hooks.get(0));
            assertThat(hook.path("event").asText()).isEqualTo("job_failed");
            assertThat(hook.path("job").asText()).isEqualTo("broken");
            assertThat(hook.path("deployment").asText()).isEqualTo("beta");
            assertThat(hook.path("phase").asText()).isEqualTo("backup");
            assertThat(hook.path("error").asText()).contains("disk on fire");
            assertThat(hook.path("artifact").asText()).contains("beta_");
            assertThat(hook.path("run_id").asText()).hasSize(32);
            assertThat(hook.has("duration_in_seconds")).isTrue();
            assertThat(smtp.getReceivedMessages()).as("one email").hasSize(1);
            assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("bbr: backup job broken failure for beta");

            assertThat(Files.readString(marker)).as("the drill's check ran with its variables")
                    .startsWith("alpha beta " + backups.resolve(""));
            assertThat(vm("beta").varVcap().resolve("store/data/extra-before-drill")).doesNotExist();
            assertThat(BackupE2eSupport.calls(l, "beta", "restore")).isNotEmpty();
            assertThat(backupsOf("beta")).singleElement()
                    .satisfies(p -> assertThat(p.resolve("BACKUP-INCOMPLETE")).exists());
        } finally {
            smtp.stop();
            receiver.stop(0);
        }
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void twoServicesRunEachOccurrenceOnceAndSigtermLeavesNothingLocked() throws Exception {
        sleepScript(vm("gamma"), "slow", "backup", 7);
        String jobs = "lease: {ttl: 30s, hold: 2s}\njobs:\n"
                + "  - {name: gamma, type: backup, deployments: [gamma], schedule: \"*/3 * * * * *\"}\n";
        try (Bbr first = service("c1", config("state-c1", jobs)); Bbr second = service("c2", config("state-c2", jobs))) {
            waitFor("a run of gamma", 60, () -> ofType(first, "job_started").size() + ofType(second, "job_started").size()
                    > 0 || !first.process.isAlive() || !second.process.isAlive());
            Bbr runner = !ofType(first, "job_started").isEmpty() ? first : second;
            Bbr other = runner == first ? second : first;
            waitFor("the other service to find the lease taken", 30, () -> ofType(other, "job_skipped").stream()
                    .anyMatch(n -> n.path("reason").asText().equals("lease")));
            waitFor("gamma's slow backup script", 60, () -> BackupE2eSupport.calls(l, "gamma", "backup").stream()
                    .anyMatch(c -> c.job().equals("slow")));

            runner.signal("TERM");
            assertThat(runner.await(90)).as(runner.err()).isZero();
            assertThat(ofType(runner, "job_finished")).last()
                    .satisfies(n -> assertThat(n.path("result").asText()).isEqualTo("cancelled"));
            // the survivor takes over the lease at a later occurrence
            waitFor("the other service to run gamma", 60, () -> !ofType(other, "job_started").isEmpty());
            other.signal("TERM");
            assertThat(other.await(90)).as(other.err()).isZero();

            List<String> started = new ArrayList<>();
            Stream.of(first, second).forEach(b -> ofType(b, "job_started")
                    .forEach(n -> started.add(n.path("scheduled_for").asText())));
            assertThat(started).as("occurrences run, over both services").doesNotHaveDuplicates();
            assertThat(ofType(runner, "service_stopping").get(0).path("running").toString()).contains("gamma");
        }
        BackupE2eSupport.assertNothingLeftLocked(l, "gamma");
        assertThat(BackupE2eSupport.calls(l, "gamma", "post-backup-unlock")).isNotEmpty();
        assertThat(l.boshUsers()).as("temporary users").isEmpty();
        assertThat(remoteArtifactRootExists(vm("gamma"))).isFalse();
        assertThat(backupsOf("gamma")).isNotEmpty().allSatisfy(p -> assertThat(p.resolve("BACKUP-INCOMPLETE"))
                .content().contains("cancelled"));
        try (Stream<Path> s = Files.list(backups)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".bbr-lock-")))
                    .as("run locks and leases given back").isEmpty();
        }
    }

    /**
     * The destination as an operator would set it for a fleet: S3 (S3Proxy). Two services share the
     * lease through the store's conditional create, each occurrence runs once, and every backup they
     * wrote is complete and verifies where it landed.
     */
    @Test
    void twoServicesBackingUpToS3ShareTheLeaseAndEveryBackupVerifies() throws Exception {
        Map<String, String> s3 = s3Env();
        String destination = "s3://service-e2e/fleet-" + System.nanoTime();
        String head = config("state-s1", "").replace("destination: \"" + backups + "\"",
                "destination: \"" + destination + "\"");
        String jobs = "lease: {ttl: 30s, hold: 2s}\njobs:\n"
                + "  - {name: beta, type: backup, deployments: [beta], schedule: \"*/4 * * * * *\"}\n";
        List<String> started = new ArrayList<>();
        try (Bbr first = service("s1", head + jobs, s3);
             Bbr second = service("s2", head.replace("state-s1", "state-s2") + jobs, s3)) {
            waitFor("two successful backups of beta", 120, () -> Stream.of(first, second)
                    .mapToLong(b -> ofType(b, "job_finished").stream()
                            .filter(n -> n.path("result").asText().equals("success")).count()).sum() >= 2
                    || !first.process.isAlive() || !second.process.isAlive());
            first.signal("TERM");
            second.signal("TERM");
            assertThat(first.await(90)).as(first.err()).isZero();
            assertThat(second.await(90)).as(second.err()).isZero();
            Stream.of(first, second).forEach(b -> ofType(b, "job_started")
                    .forEach(n -> started.add(n.path("scheduled_for").asText())));
            assertThat(Stream.of(first, second).flatMap(b -> ofType(b, "job_finished").stream())
                    .filter(n -> n.path("result").asText().equals("failure")).toList()).as("failed runs").isEmpty();
        }
        assertThat(started).as("occurrences run, over both services").hasSizeGreaterThanOrEqualTo(2)
                .doesNotHaveDuplicates();
        Map<String, String> env = new HashMap<>(l.env());
        env.putAll(s3);
        CliRun list = RestoreE2eSupport.bbr(env, "artifacts", "list", destination, "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        List<JsonNode> listed = new ArrayList<>();
        JSON.readTree(list.out()).path("backups").forEach(listed::add);
        assertThat(listed).as(list.out()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(b -> assertThat(b.path("state").asText()).isIn("complete", "verified"));
        CliRun verify = RestoreE2eSupport.bbr(env, "artifacts", "verify", destination);
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        BackupE2eSupport.assertNothingLeftLocked(l, "beta");
        assertThat(l.boshUsers()).as("temporary users").isEmpty();
    }

    /** S3Proxy's credentials and endpoint, and the bucket the S3 test writes to. */
    private static Map<String, String> s3Env() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", TestServer.S3PROXY_IDENTITY);
        env.put("AWS_SECRET_ACCESS_KEY", TestServer.S3PROXY_CREDENTIAL);
        env.put("AWS_ENDPOINT_URL", S3PROXY.instance().endpoint());
        env.put("AWS_REGION", "us-east-1");
        try (S3Stores.Connection c = S3Stores.connect(env, S3Options.defaults())) {
            try {
                c.client().headBucket(b -> b.bucket("service-e2e"));
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                c.client().createBucket(b -> b.bucket("service-e2e"));
            }
        }
        return env;
    }
}
