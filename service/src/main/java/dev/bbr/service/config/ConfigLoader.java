package dev.bbr.service.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bbr.artifacts.codec.AgeRecipients;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.Compression;
import dev.bbr.artifacts.retention.RetentionDuration;
import dev.bbr.artifacts.retention.RetentionPlanner;
import dev.bbr.artifacts.retention.RetentionPolicy;
import dev.bbr.service.config.ServiceConfig.AtRest;
import dev.bbr.service.config.ServiceConfig.Director;
import dev.bbr.service.config.ServiceConfig.DirectorVm;
import dev.bbr.service.config.ServiceConfig.Http;
import dev.bbr.service.config.ServiceConfig.Lease;
import dev.bbr.service.schedule.CronSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks a service config (YAML; docs/service.md lists every key). Every problem is one
 * line {@code <file>: <where>: <what is wrong>}, and all of them are reported at once. Relative paths
 * are relative to the config's directory; secrets come from environment variables or files.
 */
public final class ConfigLoader {
    static final Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(5);
    static final Duration DEFAULT_LEASE_HOLD = Duration.ofMinutes(10);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("director", "director_vm", "destination", "destination_name",
            "state_dir", "at_rest", "retention", "max_in_flight", "max_deployments", "lease", "http", "notifications",
            "jobs");

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public ServiceConfig load(Path file) throws ConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        String shown = file.toString();
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(absolute));
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(shown + ": no such file"));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new ConfigException(List.of(shown + ": " + where + "not valid YAML: "
                    + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ")));
        } catch (IOException e) {
            throw new ConfigException(List.of(shown + ": cannot read: " + e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(List.of(shown + ": expected a mapping of keys (director, destination, jobs, ...)"));
        }
        List<String> problems = new ArrayList<>();
        ServiceConfig config = read(new ConfigNode(root, "", problems), absolute);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream().map(p -> shown + ": " + p).toList());
        }
        return config;
    }

    private ServiceConfig read(ConfigNode root, Path file) {
        root.allowOnly(TOP);
        Path directory = file.getParent();
        Secrets secrets = new Secrets(env, directory);
        Optional<Director> director = root.child("director").map(d -> director(d, secrets, directory));
        Optional<DirectorVm> directorVm = root.child("director_vm").map(d -> directorVm(d, directory));
        String destination = root.requiredString("destination", "where backups go (a directory, or any location"
                + " the CLI's --artifact-path takes)");
        String destinationName = root.string("destination_name").orElse(destination);
        Path stateDir = directory.resolve(root.string("state_dir").orElse("/var/lib/bbr"));
        AtRest atRest = root.child("at_rest").map(a -> atRest(a, directory)).orElse(new AtRest(ArtifactCodec.PLAIN,
                List.of()));
        Optional<RetentionPlanner> retention = root.child("retention").flatMap(ConfigLoader::retention);
        int maxInFlight = root.integer("max_in_flight", 10, 1);
        int maxDeployments = root.integer("max_deployments", 4, 1);
        Lease lease = root.child("lease").map(ConfigLoader::lease).orElse(new Lease(DEFAULT_LEASE_TTL,
                DEFAULT_LEASE_HOLD));
        Optional<Http> http = root.child("http").flatMap(h -> http(h, secrets));
        ServiceConfig.Notifications notifications = root.child("notifications")
                .map(n -> new NotificationsReader(secrets).read(n))
                .orElse(new ServiceConfig.Notifications(false, Optional.empty(), Optional.empty(), Optional.empty()));
        List<ServiceConfig.Job> jobs = new JobsReader(director.isPresent(), directorVm, retention.isPresent(),
                directory).read(root);
        return new ServiceConfig(file, directory, director, directorVm, destination, destinationName, stateDir, atRest,
                retention, maxInFlight, maxDeployments, lease, http, notifications, jobs);
    }

    private static Director director(ConfigNode node, Secrets secrets, Path directory) {
        Set<String> known = new LinkedHashSet<>(List.of("url", "client", "ca_cert_file"));
        known.addAll(Secrets.keys("client_secret"));
        node.allowOnly(known);
        String url = node.requiredString("url", "the Director's URL, e.g. https://10.0.0.6:25555");
        String client = node.requiredString("client", "the Director's basic user or UAA client");
        Secret secret = secrets.read(node, "client_secret", true, "the Director client's secret").orElse(null);
        String ca = node.requiredString("ca_cert_file", "the Director's CA certificate (a PEM file)");
        if (!ca.isEmpty() && !Files.isReadable(directory.resolve(ca))) {
            node.problem("ca_cert_file", "cannot read " + directory.resolve(ca));
        }
        return new Director(url, client, secret, ca.isEmpty() ? "" : directory.resolve(ca).toString());
    }

    static DirectorVm directorVm(ConfigNode node, Path directory) {
        node.allowOnly(Set.of("host", "user", "private_key_file"));
        String host = node.requiredString("host", "the Director VM's address, with an optional :port");
        String user = node.requiredString("user", "the SSH user (vcap, or jumpbox)");
        String key = node.requiredString("private_key_file", "the SSH private key file");
        if (!key.isEmpty() && !Files.isReadable(directory.resolve(key))) {
            node.problem("private_key_file", "cannot read " + directory.resolve(key));
        }
        return new DirectorVm(host, user, key.isEmpty() ? "" : directory.resolve(key).toString());
    }

    private static AtRest atRest(ConfigNode node, Path directory) {
        node.allowOnly(Set.of("compression", "encrypt_to", "recipients_files", "identity_files"));
        Compression compression = node.parsed("compression", Compression::parse).orElse(Compression.NONE);
        AgeRecipients recipients = AgeRecipients.none();
        try {
            recipients = AgeRecipients.parse(node.strings("encrypt_to"));
        } catch (IllegalArgumentException e) {
            node.problem("encrypt_to", e.getMessage());
        }
        for (String f : node.strings("recipients_files")) {
            try {
                recipients = recipients.and(AgeRecipients.readFile(directory.resolve(f)));
            } catch (IOException | IllegalArgumentException e) {
                node.problem("recipients_files", directory.resolve(f) + ": " + e.getMessage());
            }
        }
        List<String> identities = new ArrayList<>();
        for (String f : node.strings("identity_files")) {
            Path p = directory.resolve(f);
            if (!Files.isReadable(p)) {
                node.problem("identity_files", "cannot read " + p);
            }
            identities.add(p.toString());
        }
        return new AtRest(ArtifactCodec.of(compression, recipients), identities);
    }

    private static Optional<RetentionPlanner> retention(ConfigNode node) {
        node.allowOnly(Set.of("keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly",
                "keep_within", "time_zone", "grace"));
        RetentionPolicy.Builder policy = RetentionPolicy.builder()
                .keepLast(node.integer("keep_last", 0, -1))
                .keepHourly(node.integer("keep_hourly", 0, -1))
                .keepDaily(node.integer("keep_daily", 0, -1))
                .keepWeekly(node.integer("keep_weekly", 0, -1))
                .keepMonthly(node.integer("keep_monthly", 0, -1))
                .keepYearly(node.integer("keep_yearly", 0, -1));
        node.parsed("keep_within", RetentionDuration::parse).ifPresent(policy::keepWithin);
        ZoneId zone = node.parsed("time_zone", ConfigLoader::zone).orElse(ZoneId.of("UTC"));
        Duration grace = node.parsed("grace", Durations::parse).orElse(Duration.ofHours(24));
        try {
            return Optional.of(new RetentionPlanner(policy.build(), zone, grace));
        } catch (IllegalArgumentException e) {
            node.problem("keep_*", e.getMessage());
            return Optional.empty();
        }
    }

    private static Lease lease(ConfigNode node) {
        node.allowOnly(Set.of("ttl", "hold"));
        Duration ttl = node.parsed("ttl", Durations::parse).orElse(DEFAULT_LEASE_TTL);
        if (ttl.compareTo(Duration.ofSeconds(6)) < 0) {
            node.problem("ttl", "must be 6s or more (the lease is refreshed every sixth of it)");
            ttl = DEFAULT_LEASE_TTL;
        }
        return new Lease(ttl, node.parsed("hold", Durations::parse).orElse(DEFAULT_LEASE_HOLD));
    }

    private static Optional<Http> http(ConfigNode node, Secrets secrets) {
        Set<String> known = new LinkedHashSet<>(List.of("listen"));
        known.addAll(Secrets.keys("token"));
        node.allowOnly(known);
        String listen = node.requiredString("listen", "host:port to listen on, e.g. 127.0.0.1:9090");
        Optional<Secret> token = secrets.read(node, "token", true, "the API token");
        int colon = listen.lastIndexOf(':');
        int port = -1;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (!listen.isEmpty() && (port < 0 || port > 65535)) {
            node.problem("listen", "\"" + listen + "\" is not host:port (e.g. 127.0.0.1:9090; port 0 picks a free one)");
            return Optional.empty();
        }
        if (token.isEmpty() || listen.isEmpty()) {
            return Optional.empty();
        }
        String host = listen.substring(0, colon);
        return Optional.of(new Http(host.isEmpty() ? "0.0.0.0" : host.replaceAll("^\\[|\\]$", ""), port, token.get()));
    }

    static ZoneId zone(String raw) {
        try {
            return ZoneId.of(raw);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("\"" + raw + "\" is not a time zone; give an IANA zone such as UTC or"
                    + " Europe/Berlin");
        }
    }

    /** Used by the job and notification readers: a cron schedule in a zone. */
    static Optional<CronSchedule> schedule(ConfigNode node, String scheduleKey, String zoneKey, boolean required) {
        ZoneId zone = node.parsed(zoneKey, ConfigLoader::zone).orElse(ZoneId.of("UTC"));
        if (!node.has(scheduleKey)) {
            if (required) {
                node.problem(scheduleKey, "missing: a cron schedule, e.g. \"0 2 * * *\" (02:00 every day)");
            }
            return Optional.empty();
        }
        return node.parsed(scheduleKey, s -> CronSchedule.parse(s, zone));
    }
}
