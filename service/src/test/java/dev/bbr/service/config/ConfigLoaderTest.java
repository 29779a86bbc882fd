package dev.bbr.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.app.Target;
import dev.bbr.service.config.ServiceConfig.JobType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static final Map<String, String> ENV = Map.of("BOSH_CLIENT_SECRET", "s3cret", "BBR_SERVICE_TOKEN", "tok",
            "HOOK", "https://hooks.example/T0/B0/xyz");

    private Path write(String yaml) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(dir.resolve("director.pem"), "key");
        return Files.writeString(dir.resolve("service.yml"), yaml);
    }

    private ServiceConfig load(String yaml) throws Exception {
        return new ConfigLoader(ENV).load(write(yaml));
    }

    private List<String> problems(String yaml) throws Exception {
        Path file = write(yaml);
        try {
            new ConfigLoader(ENV).load(file);
        } catch (ConfigException e) {
            assertThat(e.problems()).allSatisfy(p -> assertThat(p).startsWith(file + ": ").doesNotContain("\n"));
            return e.problems().stream().map(p -> p.substring(file.toString().length() + 2)).toList();
        }
        throw new AssertionError("the config was accepted");
    }

    @Test
    void readsTheIssuesExampleAndEveryJobType() throws Exception {
        ServiceConfig c = load("""
                director: {url: https://10.0.0.6:25555, client: admin, client_secret_env: BOSH_CLIENT_SECRET,
                           ca_cert_file: ca.pem}
                director_vm: {host: 10.0.0.6, user: vcap, private_key_file: director.pem}
                destination: /backups/prod
                destination_name: prod
                state_dir: state
                at_rest: {compression: "zstd:5"}
                retention: {keep_daily: 7, keep_weekly: 4, keep_monthly: 6, time_zone: Europe/Berlin}
                jobs:
                  - {name: nightly, type: backup, deployments: [redis], schedule: "0 2 * * *", time_zone: UTC}
                  - {name: all, type: backup, deployments: all, director_vm: true, schedule: "30 1 * * *",
                     jitter: 10m, missed: run_once}
                  - {name: prune, type: prune, schedule: "0 4 * * *"}
                  - {name: verify, type: verify, schedule: "0 5 * * *"}
                  - {name: drill, type: drill, deployment: redis, target_deployment: redis-drill,
                     check: "redis-cli ping", schedule: "0 6 * * 0"}
                http: {listen: "127.0.0.1:9090", token_env: BBR_SERVICE_TOKEN}
                notifications:
                  webhook: {url_env: HOOK, attempts: 5}
                  email: {host: smtp.example.com, from: bbr@example.com, to: [ops@example.com]}
                  digest: {schedule: "0 8 * * *"}
                """);
        assertThat(c.director().orElseThrow().login().clientSecret()).isEqualTo("s3cret");
        assertThat(c.director().orElseThrow().caCertFile()).isEqualTo(dir.resolve("ca.pem").toString());
        assertThat(c.destinationName()).isEqualTo("prod");
        assertThat(c.stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(c.atRest().codec().toString()).contains("zstd");
        assertThat(c.jobs()).extracting(ServiceConfig.Job::type)
                .containsExactly(JobType.BACKUP, JobType.BACKUP, JobType.PRUNE, JobType.VERIFY, JobType.DRILL);
        ServiceConfig.Job all = c.job("all").orElseThrow();
        assertThat(all.selection().all()).isTrue();
        assertThat(all.selection().directorVm()).isTrue();
        assertThat(all.jitter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(all.missed()).isEqualTo(ServiceConfig.Missed.RUN_ONCE);
        assertThat(c.job("nightly").orElseThrow().missed()).isEqualTo(ServiceConfig.Missed.SKIP);
        ServiceConfig.Drill drill = c.job("drill").orElseThrow().drill().orElseThrow();
        assertThat(drill.target()).isInstanceOf(Target.Deployment.class);
        assertThat(drill.check()).containsExactly("/bin/sh", "-c", "redis-cli ping");
        assertThat(c.http().orElseThrow().port()).isEqualTo(9090);
        assertThat(c.notifications().webhook().orElseThrow().attempts()).isEqualTo(5);
        assertThat(c.notifications().webhook().orElseThrow().url().reveal()).isEqualTo(ENV.get("HOOK"));
        assertThat(c.notifications().email().orElseThrow().port()).isEqualTo(587);
        assertThat(c.retention()).isPresent();
        assertThat(c.job("nightly").orElseThrow().schedule().next(Instant.parse("2026-12-07T10:00:00Z")))
                .contains(Instant.parse("2026-12-08T02:00:00Z"));
    }

    @Test
    void aSecretInTheConfigTextIsRefusedAndNeverEchoed() throws Exception {
        List<String> problems = problems("""
                director: {url: x, client: admin, client_secret: hunter2, ca_cert_file: ca.pem}
                destination: /b
                jobs: [{name: a, type: backup, deployments: all, schedule: "0 2 * * *"}]
                http: {listen: ":9090", token: alsosecret}
                """);
        assertThat(problems).containsExactly(
                "director.client_secret: secrets are never read from the config text; name an environment variable"
                        + " with client_secret_env or a file with client_secret_file",
                "http.token: secrets are never read from the config text; name an environment variable with"
                        + " token_env or a file with token_file");
        assertThat(String.join("", problems)).doesNotContain("hunter2", "alsosecret");
    }

    @Test
    void secretsComeFromFilesAndAMissingVariableIsNamed() throws Exception {
        Files.writeString(dir.resolve("token"), "from-file\n");
        ServiceConfig c = load("""
                destination: /b
                jobs: [{name: v, type: verify, schedule: "0 2 * * *"}]
                http: {listen: "127.0.0.1:0", token_file: token}
                """);
        assertThat(c.http().orElseThrow().token().reveal()).isEqualTo("from-file");
        assertThat(c.http().orElseThrow().token().toString()).doesNotContain("from-file");

        assertThat(problems("""
                destination: /b
                jobs: [{name: v, type: verify, schedule: "0 2 * * *"}]
                http: {listen: "127.0.0.1:0", token_env: NOT_SET_ANYWHERE}
                """)).containsExactly("http.token_env: environment variable NOT_SET_ANYWHERE is not set");
    }

    @Test
    void everyProblemOfABadConfigIsOneLineNamingWhere() throws Exception {
        assertThat(problems("""
                destinaton: /b
                jobs:
                  - {name: nightly, type: backup, deployments: all, schedule: "0 2 * *"}
                  - {name: nightly, type: bakup, schedule: "0 2 * * *"}
                  - {name: "bad name", type: prune, schedule: "61 * * * *", time_zone: Mars/Base, missed: later}
                  - {name: d, type: drill, schedule: "0 2 * * *"}
                """)).containsExactly(
                "destinaton: unknown key (did you mean destination?)",
                "destination: missing: where backups go (a directory, or any location the CLI's --artifact-path"
                        + " takes)",
                "jobs[0].schedule: \"0 2 * *\" has 4 fields; give 5 (minute hour day-of-month month day-of-week) or"
                        + " 6 (a leading seconds field, then those 5)",
                "jobs[0].deployments: backing up deployments needs the director (url, client, ...)",
                "jobs[1].name: another job is named nightly",
                "jobs[1].type: \"bakup\" is not a job type; give backup, prune, verify or drill",
                "jobs[2].name: \"bad name\" may hold only letters, digits, - and _ (64 at most)",
                "jobs[2].time_zone: \"Mars/Base\" is not a time zone; give an IANA zone such as UTC or Europe/Berlin",
                "jobs[2].schedule: \"61 * * * *\" is not a valid cron schedule: Failed to parse cron expression."
                        + " Value 61 not in range [0, 59]",
                "jobs[2].missed: \"later\": give run_once (run once after downtime) or skip",
                "jobs[2].type: a prune job needs a retention policy (retention: keep_daily, keep_weekly, ...)",
                "jobs[3].deployment: missing: whose newest backup the drill restores",
                "jobs[3].target_deployment: give the deployment to restore into (target_deployment) or a Director VM"
                        + " (target_director_vm), one of them",
                "jobs[3].check: missing: the command that checks the restored data (a shell line, or a list)");
    }

    @Test
    void yamlThatDoesNotParseIsOneLineWithItsPosition() throws Exception {
        assertThat(problems("jobs: [\n  {name: a\n")).singleElement().asString()
                .startsWith("line ").contains("not valid YAML");
        assertThat(problems("- just\n- a list\n")).containsExactly(
                "expected a mapping of keys (director, destination, jobs, ...)");
    }

    @Test
    void schedulesTakeFiveFieldsOrSixWithLeadingSeconds() {
        ZoneId utc = ZoneId.of("UTC");
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        assertThat(dev.bbr.service.schedule.CronSchedule.parse("*/15 * * * *", utc).next(t))
                .contains(Instant.parse("2026-12-07T10:15:00Z"));
        assertThat(dev.bbr.service.schedule.CronSchedule.parse("*/5 * * * * *", utc).next(t))
                .contains(Instant.parse("2026-12-07T10:00:05Z"));
        assertThat(dev.bbr.service.schedule.CronSchedule.parse("0 2 * * *", ZoneId.of("Europe/Berlin")).next(t))
                .as("02:00 in Berlin, winter: 01:00 UTC").contains(Instant.parse("2026-12-08T01:00:00Z"));
        assertThatThrownBy(() -> dev.bbr.service.schedule.CronSchedule.parse("* * * * * * *", utc))
                .hasMessageContaining("has 7 fields");
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        Path example = Path.of("..", "examples", "service.yml");
        Path copy = Files.copy(example, dir.resolve("service.yml"));
        for (String f : List.of("director-ca.pem", "director-vcap.pem", "drill-key.txt")) {
            Files.writeString(dir.resolve(f), "placeholder\n");
        }
        // the age specification's example recipient
        Files.writeString(dir.resolve("escrow.pub"), "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n");
        ServiceConfig c = new ConfigLoader(Map.of("BOSH_CLIENT_SECRET", "x", "BBR_SERVICE_TOKEN", "t",
                "BBR_WEBHOOK_URL", "https://hooks.example/x", "SMTP_PASSWORD", "p")).load(copy);
        assertThat(c.jobs()).extracting(ServiceConfig.Job::name)
                .containsExactly("nightly", "director", "retention", "verify", "weekly-drill");
        assertThat(c.destination()).isEqualTo("s3://backups/prod");
        assertThat(c.atRest().codec().isEncrypted()).isTrue();
        assertThat(c.notifications().digest()).isPresent();
    }

    @Test
    void leaseAndHttpHaveLimits() throws Exception {
        assertThat(problems("""
                destination: /b
                lease: {ttl: 2s}
                jobs: [{name: v, type: verify, schedule: "0 2 * * *"}]
                http: {listen: "127.0.0.1:99999", token_env: BBR_SERVICE_TOKEN}
                """)).containsExactly("lease.ttl: must be 6s or more (the lease is refreshed every sixth of it)",
                "http.listen: \"127.0.0.1:99999\" is not host:port (e.g. 127.0.0.1:9090; port 0 picks a free one)");
    }
}
