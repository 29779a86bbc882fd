package dev.bbr.service.config;

import dev.bbr.app.DirectorLogin;
import dev.bbr.app.Target;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.retention.RetentionPlanner;
import dev.bbr.service.schedule.CronSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A checked service config (docs/service.md): the Director(s) it reaches, the destination every
 * job writes to and reads from, how backups are stored and kept, the jobs, the HTTP listener and
 * who is told what. Built only by {@link ConfigLoader}, so every value here is valid and every
 * secret resolved.
 *
 * @param directory       what relative paths in the config are relative to (the config's directory)
 * @param destinationName service-backup's {@code destination_name} in log lines
 * @param stateDir        the job history and each job's last scheduled time, kept across restarts
 */
public record ServiceConfig(Path file, Path directory, Optional<Director> director, Optional<DirectorVm> directorVm,
        String destination, String destinationName, Path stateDir, AtRest atRest, Optional<RetentionPlanner> retention,
        int maxInFlight, int maxDeployments, Lease lease, Optional<Http> http, Notifications notifications,
        List<Job> jobs) {

    public Optional<Job> job(String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
    }

    /** The BOSH Director's API (deployment mode). */
    public record Director(String url, String client, Secret clientSecret, String caCertFile) {
        public DirectorLogin login() {
            return new DirectorLogin(url, client, clientSecret.reveal(), caCertFile);
        }
    }

    /** The Director VM itself, over SSH (director mode). */
    public record DirectorVm(String host, String user, String privateKeyFile) {
        public Target.DirectorVm target() {
            return new Target.DirectorVm(host, user, privateKeyFile);
        }
    }

    /** How backups are stored, and the keys that read them back (verify and drill). */
    public record AtRest(ArtifactCodec codec, List<String> identityFiles) {}

    /**
     * The lease that makes two services on one destination run each occurrence once: taken in the
     * store when a job starts, refreshed while held, stale after {@code ttl} when its holder died.
     *
     * @param hold how long an occurrence's lease is kept at least (a second service whose clock or
     *             jitter is up to this much later finds it taken), capped at half the job's interval
     */
    public record Lease(Duration ttl, Duration hold) {}

    /** {@code /metrics}, {@code /healthz} and the API. */
    public record Http(String host, int port, Secret token) {}

    /** Who is told what. */
    public record Notifications(boolean onSuccess, Optional<Webhook> webhook, Optional<Email> email,
            Optional<CronSchedule> digest) {
        public boolean any() {
            return webhook.isPresent() || email.isPresent();
        }
    }

    /** A JSON POST per event, retried {@code attempts} times in all, {@code backoff} doubling between. */
    public record Webhook(Secret url, int attempts, Duration timeout, Duration backoff) {}

    /** Email over SMTP. */
    public record Email(String host, int port, Tls tls, Optional<String> username, Optional<Secret> password,
            String from, List<String> to, Duration timeout) {
        public enum Tls { NONE, STARTTLS, SSL }
    }

    /** The kinds of job. */
    public enum JobType {
        BACKUP, PRUNE, VERIFY, DRILL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What to do with occurrences that passed while the service was not running (or was suspended). */
    public enum Missed {
        /** Run once now for all of them. */
        RUN_ONCE,
        /** Log them and wait for the next occurrence. */
        SKIP
    }

    /**
     * Which backups a job works on: deployments by name, every deployment the Director lists, or the
     * Director VM.
     */
    public record Selection(boolean all, List<String> deployments, boolean directorVm) {
        public boolean matches(String deployment, Optional<DirectorVm> vm) {
            if (directorVm && vm.isPresent() && vm.get().target().name().equals(deployment)) {
                return true;
            }
            return all || deployments.contains(deployment);
        }

        @Override
        public String toString() {
            String names = all ? "all deployments" : String.join(", ", deployments);
            return directorVm ? (names.isEmpty() ? "the Director VM" : names + " and the Director VM") : names;
        }
    }

    /**
     * A restore drill: the newest complete backup of {@code source} restored into {@code target}, then
     * {@code check} run on this machine.
     */
    public record Drill(String source, Target target, List<String> check, Duration checkTimeout) {}

    /** One scheduled job. */
    public record Job(String name, JobType type, CronSchedule schedule, Duration jitter, Missed missed,
            Selection selection, Optional<Drill> drill) {}
}
