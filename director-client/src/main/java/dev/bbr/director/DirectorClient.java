package dev.bbr.director;

import dev.bbr.director.http.ApiRequest;
import dev.bbr.director.http.ApiResponse;
import dev.bbr.director.http.AuthScheme;
import dev.bbr.director.http.Backoff;
import dev.bbr.director.http.BasicAuth;
import dev.bbr.director.http.DebugLog;
import dev.bbr.director.http.DirectorHttp;
import dev.bbr.director.http.Json;
import dev.bbr.director.http.OkHttpFactory;
import dev.bbr.director.http.RetryPolicy;
import dev.bbr.director.http.Sleeper;
import dev.bbr.director.http.Transport;
import dev.bbr.director.http.TransportErrors;
import dev.bbr.director.http.UaaAuth;
import dev.bbr.director.http.UaaTokenClient;
import dev.bbr.director.http.UaaUrl;
import dev.bbr.director.task.TaskTracker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The BOSH Director calls bbr needs: info, deployments, manifest, VM discovery and temporary SSH
 * users. Built with {@link #builder()}; {@link Builder#build()} already talks to the Director
 * ({@code GET /info}) to pick basic or UAA authentication, exactly like bbr's client factory.
 *
 * <p>Thread-safe: bbr sets up SSH for several instance groups in parallel.
 */
public final class DirectorClient {
    private final DirectorTarget target;
    private final Info info;
    private final DirectorHttp http;
    private final TaskTracker tasks;

    private DirectorClient(DirectorTarget target, Info info, DirectorHttp http, TaskTracker tasks) {
        this.target = target;
        this.info = info;
        this.http = http;
        this.tasks = tasks;
    }

    public static Builder builder() {
        return new Builder();
    }

    public DirectorTarget target() {
        return target;
    }

    /** The anonymous {@code GET /info} answer obtained while building this client. */
    public Info info() {
        return info;
    }

    /** {@code GET /deployments}: the deployments the credentials may read, sorted by name. */
    public List<DeploymentSummary> deployments() {
        HttpUrl url = http.url().addPathSegment("deployments").build();
        return DeploymentsReader.read(http.call(ApiRequest.get(url)));
    }

    /**
     * {@code GET /deployments/<d>}: the raw manifest YAML of the last successful deploy; "" when
     * the Director has none (it answers {@code "manifest": null}).
     */
    public String manifest(String deployment) {
        ApiResponse response = http.call(ApiRequest.get(deploymentUrl(deployment).build()));
        String manifest = Json.text(Json.parse(response, "manifest"), "manifest");
        return manifest == null ? "" : manifest;
    }

    /**
     * VM details through the {@code vms?format=full} task: one entry per instance with an active
     * VM, in no particular order.
     */
    public List<VmInfo> vms(String deployment) {
        HttpUrl url = deploymentUrl(deployment).addPathSegment("vms")
                .addQueryParameter("format", "full").build();
        String result = tasks.awaitResult(http.call(ApiRequest.get(url)));
        return VmInfoReader.read(result, url.toString());
    }

    /**
     * Creates {@code user} with {@code publicKey} on every instance of {@code group} (one POST for
     * the whole group, empty indexes/ids) and waits for the task.
     *
     * @throws DirectorException if no session was created or any instance did not report success
     */
    public List<SshHost> sshSetup(String deployment, String group, String user, String publicKey) {
        HttpUrl url = deploymentUrl(deployment).addPathSegment("ssh").build();
        String body = SshRequestBody.setup(deployment, group, user, publicKey);
        String result = tasks.awaitResult(http.call(ApiRequest.postJson(url, body)));
        List<SshHost> hosts = SshResultReader.read(result, url.toString());
        if (hosts.isEmpty()) {
            throw new DirectorException("Did not create any SSH sessions for the instances"
                    + " of instance group '" + group + "' in deployment '" + deployment + "'");
        }
        for (SshHost host : hosts) {
            if (!"success".equals(host.status())) {
                throw new DirectorException("Failed to set up SSH session for one of the instances"
                        + " (" + host.job() + "/" + host.id() + " reported status '"
                        + host.status() + "')");
            }
        }
        return hosts;
    }

    /**
     * Asks the Director to delete users matching {@code userRegex} on the given instances (empty
     * {@code ids} = the whole group) and waits for the task. bosh-cli does not wait; waiting means
     * that when bbr exits the temporary user is really gone, and a failed cleanup task is
     * reported instead of passing silently.
     *
     * @throws TaskFailedException if the cleanup task ends in error
     */
    public void sshCleanup(String deployment, String group, List<String> ids, String userRegex) {
        HttpUrl url = deploymentUrl(deployment).addPathSegment("ssh").build();
        String body = SshRequestBody.cleanup(deployment, group, List.copyOf(ids), userRegex);
        tasks.awaitResult(http.call(ApiRequest.postJson(url, body)));
    }

    private HttpUrl.Builder deploymentUrl(String deployment) {
        if (deployment == null || deployment.isEmpty()) {
            throw new DirectorException("Expected non-empty deployment name");
        }
        // addPathSegment percent-encodes, so odd names cannot escape the path.
        return http.url().addPathSegment("deployments").addPathSegment(deployment);
    }

    /**
     * Configuration for {@link DirectorClient}. Defaults follow bosh-cli/bbr: 30 s connect,
     * 60 s read, 5 transport attempts starting 500 ms apart, task polls every 500 ms growing ×1.5
     * to 2 s, at most 30 min per task.
     */
    public static final class Builder {
        private DirectorTarget target;
        private CaCert caCert;
        private String username = "";
        private String password = "";
        private ProxyRoute proxyRoute = ProxyRoute.direct();
        private boolean debug;
        private Consumer<String> debugSink;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration callTimeout = Duration.ofMinutes(5);
        private Duration taskTimeout = Duration.ofMinutes(30);
        private Duration pollInitial = Duration.ofMillis(500);
        private Duration pollMax = Duration.ofSeconds(2);
        private RetryPolicy retry = RetryPolicy.defaults();
        private Sleeper sleeper = Sleeper.system();

        private Builder() {}

        public Builder target(DirectorTarget target) {
            this.target = target;
            return this;
        }

        /**
         * CA bundle for the Director and UAA. If never set, the JVM's default trust store is used
         * (bosh-cli's behaviour without a CA); verification is never switched off.
         */
        public Builder caCert(CaCert caCert) {
            this.caCert = caCert;
            return this;
        }

        /** Basic-auth user and password, or UAA client id and secret (bbr's -u/-p). */
        public Builder credentials(String usernameOrClientId, String passwordOrSecret) {
            this.username = usernameOrClientId == null ? "" : usernameOrClientId;
            this.password = passwordOrSecret == null ? "" : passwordOrSecret;
            return this;
        }

        /** Basic-auth user or UAA client id; the Basic header is omitted when empty. */
        public Builder username(String usernameOrClientId) {
            this.username = usernameOrClientId == null ? "" : usernameOrClientId;
            return this;
        }

        /** Basic-auth password or UAA client secret. Never logged. */
        public Builder password(String passwordOrSecret) {
            this.password = passwordOrSecret == null ? "" : passwordOrSecret;
            return this;
        }

        /** {@code BOSH_ALL_PROXY} route for Director and UAA traffic (direct when never set). */
        public Builder proxyRoute(ProxyRoute route) {
            this.proxyRoute = Objects.requireNonNull(route, "route");
            return this;
        }

        /** Enables the HTTP trace ({@code --debug}); goes to SLF4J {@code httpClient} unless a sink is set. */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** Where the debug trace goes instead of SLF4J; only used when {@link #debug} is on. */
        public Builder debugSink(Consumer<String> sink) {
            this.debugSink = sink;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /** Upper bound for one HTTP exchange including reading the body (default 5 min). */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /** How long to wait for one Director task before giving up (default 30 min). */
        public Builder taskTimeout(Duration timeout) {
            this.taskTimeout = positive(timeout, "taskTimeout");
            return this;
        }

        /** First and maximum delay between task polls; the delay grows ×1.5 in between. */
        public Builder taskPolling(Duration initial, Duration max) {
            this.pollInitial = positive(initial, "initial");
            this.pollMax = positive(max, "max");
            return this;
        }

        /**
         * Transport retries for idempotent requests: total attempts (1 = none) and first delay,
         * growing ×1.5 up to 2 s (or the first delay, if larger).
         */
        public Builder retries(int maxAttempts, Duration initialDelay) {
            Duration first = Objects.requireNonNull(initialDelay, "initialDelay");
            Duration cap = first.compareTo(Duration.ofSeconds(2)) > 0 ? first : Duration.ofSeconds(2);
            this.retry = new RetryPolicy(maxAttempts, new Backoff(first, 1.5, cap));
            return this;
        }

        /** Test hook: replaces real sleeping between polls and retries. */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        /**
         * Calls {@code GET /info} anonymously and returns a client with the matching
         * authentication.
         *
         * @throws DirectorException {@code bosh director unreachable or unhealthy: <cause>} if
         *     /info fails; {@link DirectorConfigException} for a bad UAA URL
         */
        public DirectorClient build() {
            Objects.requireNonNull(target, "target");
            DebugLog log = !debug ? DebugLog.disabled()
                    : debugSink != null ? DebugLog.to(debugSink) : DebugLog.slf4j();
            log.registerSecret(password);

            OkHttpClient okHttp = OkHttpFactory.create(caCert, proxyRoute, connectTimeout,
                    readTimeout, callTimeout);
            Transport transport = new Transport(okHttp, retry,
                    new TransportErrors(connectTimeout, readTimeout, callTimeout), log, sleeper);
            HttpUrl base = HttpUrl.get(target.baseUrl().toString());

            Info info = fetchInfo(new DirectorHttp(base, transport, AuthScheme.ANONYMOUS, log), base);
            AuthScheme auth;
            if (info.usesUaa()) {
                HttpUrl tokenUrl = UaaUrl.tokenEndpoint(info.uaaUrl());
                auth = new UaaAuth(new UaaTokenClient(tokenUrl, username, password, transport, log));
                log.log("Director uses UAA at '" + tokenUrl + "' (client credentials)");
            } else {
                auth = new BasicAuth(username, password, log);
                log.log("Director uses basic authentication");
            }
            DirectorHttp http = new DirectorHttp(base, transport, auth, log);
            TaskTracker tasks = new TaskTracker(http, new Backoff(pollInitial, 1.5,
                    pollMax.compareTo(pollInitial) < 0 ? pollInitial : pollMax), taskTimeout, log,
                    sleeper);
            return new DirectorClient(target, info, http, tasks);
        }

        private static Info fetchInfo(DirectorHttp anonymous, HttpUrl base) {
            ApiResponse response;
            try {
                response = anonymous.call(ApiRequest.get(base.newBuilder().addPathSegment("info").build()));
            } catch (DirectorException e) {
                throw unreachable(e);
            }
            try {
                return InfoReader.read(response);
            } catch (DirectorConfigException e) {
                throw e;
            } catch (DirectorException e) {
                throw unreachable(e);
            }
        }

        /** bbr's wording, keeping the exception type so callers can still tell TLS from refusal. */
        private static DirectorException unreachable(DirectorException e) {
            String message = "bosh director unreachable or unhealthy: " + e.getMessage();
            if (e instanceof DirectorTlsException tls) {
                return new DirectorTlsException(message, tls.url(), tls.host(), e);
            }
            if (e instanceof DirectorConnectionException conn) {
                return new DirectorConnectionException(message, conn.url(), e);
            }
            return new DirectorException(message, e);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
