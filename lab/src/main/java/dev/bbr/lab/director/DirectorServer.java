package dev.bbr.lab.director;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.bbr.lab.Faults;
import dev.bbr.lab.LabException;
import dev.bbr.lab.LabRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The Director simulator: HTTPS listener on ip:25555 (plus UAA on ip:8443 in uaa mode). Fault
 * rules are applied before anything else, every request is logged, /_lab/* is the unauthenticated
 * admin API (not logged, so request assertions only see what the CLI did).
 */
public final class DirectorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorServer.class);

    private final DirectorSettings settings;
    private final RequestLog log;
    private final Faults faults;
    private final TokenIssuer tokens;
    private final Auth auth;
    private final TaskStore tasks = new TaskStore();
    private final DirectorApi api;
    private final AdminApi admin;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lab-director-http");
        t.setDaemon(true);
        return t;
    });
    private HttpsServer director;
    private HttpsServer uaa;

    public DirectorServer(DirectorSettings settings, RequestLog log, Faults faults, TokenIssuer tokens,
                          Supplier<Map<String, DirectorDeployment>> deployments, AgentBackend agents, AdminApi admin) {
        this.settings = settings;
        this.log = log;
        this.faults = faults;
        this.tokens = tokens;
        this.auth = new Auth(settings.uaa(), settings.client(), settings.clientSecret(), tokens);
        this.api = new DirectorApi(settings, deployments, tasks, faults, new SshTaskRunner(agents, faults));
        this.admin = admin;
    }

    public void start(SSLContext tls) {
        // The JDK server leaves Nagle on: each small response then waits ~40 ms for the client's
        // delayed ACK, which made the simulator ~2x slower per request than a real Director. Read
        // once when the server classes initialise, so set before the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            director = HttpsServer.create(new InetSocketAddress(settings.bindIp(), settings.port()), 64);
            director.setHttpsConfigurator(new HttpsConfigurator(tls));
            director.setExecutor(pool);
            director.createContext("/", wrap("director", this::directorRequest));
            director.start();
            if (settings.uaa()) {
                uaa = HttpsServer.create(new InetSocketAddress(settings.bindIp(), settings.uaaPort()), 64);
                uaa.setHttpsConfigurator(new HttpsConfigurator(tls));
                uaa.setExecutor(pool);
                uaa.createContext("/", wrap("uaa", this::uaaRequest));
                uaa.start();
            }
        } catch (IOException e) {
            close();
            throw new LabException("cannot listen on " + settings.url() + " (is another lab running?): " + e.getMessage(), e);
        }
    }

    /** What a request handler reports back for the log. */
    private interface Handler {
        /** @return auth kind seen (none|basic|bearer) */
        String handle(HttpExchange ex, String method, String path, String query) throws IOException;
    }

    private HttpHandler wrap(String listener, Handler h) {
        return ex -> {
            long t0 = System.nanoTime();
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            if (listener.equals("director") && path.startsWith("/_lab/")) {
                try {
                    admin.handle(ex, method, path);
                } catch (RuntimeException e) {
                    HttpReply.send(ex, 500, HttpReply.TEXT, String.valueOf(e.getMessage()));
                }
                return;
            }
            String authKind = authKind(ex.getRequestHeaders().getFirst("Authorization"));
            log.begin();
            int status;
            try {
                Faults.HttpRule rule = faults.takeHttpRule(method, path);
                if (rule != null && rule.action() == Faults.HttpAction.STALL) {
                    sleep(rule.stallMillis());
                    rule = null;
                }
                if (rule != null && rule.action() == Faults.HttpAction.DROP) {
                    // closing before any response header makes the JDK server drop the TCP connection
                    status = -1;
                    ex.close();
                } else if (rule != null) {
                    ex.getRequestBody().readAllBytes();
                    HttpReply.send(ex, rule.status(), HttpReply.TEXT, "lab fault: " + rule.status() + " for " + path + "\n");
                    status = rule.status();
                } else {
                    authKind = h.handle(ex, method, path, query);
                    status = ex.getResponseCode();
                }
            } catch (Exception e) {
                LOG.warn("{} {} failed", method, path, e);
                status = 500;
                try {
                    HttpReply.send(ex, 500, null, "");
                } catch (IOException | RuntimeException ignored) {
                    ex.close();
                }
            }
            log.add(new LabRequest(method, path, query, authKind, status,
                    (System.nanoTime() - t0) / 1_000_000, Instant.now(), listener));
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String authKind(String header) {
        if (header == null || header.isBlank()) {
            return "none";
        }
        String h = header.trim().toLowerCase();
        return h.startsWith("basic") ? "basic" : h.startsWith("bearer") ? "bearer" : "other";
    }

    private String directorRequest(HttpExchange ex, String method, String path, String query) throws IOException {
        Auth.Result a = auth.check(ex.getRequestHeaders().getFirst("Authorization"));
        api.handle(ex, method, path, query, a);
        return a.kind().name();
    }

    /** UAA: POST /oauth/token, client_credentials with Basic client authentication. */
    private String uaaRequest(HttpExchange ex, String method, String path, String query) throws IOException {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (!method.equals("POST") || !path.equals("/oauth/token")) {
            HttpReply.send(ex, 404, HttpReply.JSON, "{\"error\":\"not_found\"}");
            return authKind(header);
        }
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String grant = null;
        for (String kv : body.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals("grant_type")) {
                grant = URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        if (!clientOk(header)) {
            HttpReply.send(ex, 401, HttpReply.JSON, "{\"error\":\"unauthorized\",\"error_description\":\"Bad credentials\"}");
        } else if (!"client_credentials".equals(grant)) {
            HttpReply.send(ex, 400, HttpReply.JSON,
                    "{\"error\":\"unsupported_grant_type\",\"error_description\":\"Unsupported grant type: " + grant + "\"}");
        } else {
            HttpReply.send(ex, 200, HttpReply.JSON, Json.write(tokens.issue(settings.client())));
        }
        return authKind(header);
    }

    private boolean clientOk(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            String d = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            return d.equals(settings.client() + ":" + settings.clientSecret());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (director != null) {
            director.stop(0);
        }
        if (uaa != null) {
            uaa.stop(0);
        }
        tasks.close();
        pool.shutdownNow();
    }

    /** The /_lab/* admin API, supplied by the lab (it needs to reach instances). */
    public interface AdminApi {
        void handle(HttpExchange ex, String method, String path) throws IOException;
    }

    /** Helper for admin implementations outside this package. */
    public static void reply(HttpExchange ex, int status, String body) throws IOException {
        HttpReply.send(ex, status, HttpReply.JSON, body);
    }

    public static JsonNode readJson(HttpExchange ex) throws IOException {
        return Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
    }

    public static String toJson(Object o) {
        return Json.write(o);
    }
}
