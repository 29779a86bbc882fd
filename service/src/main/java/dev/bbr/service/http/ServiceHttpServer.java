package dev.bbr.service.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bbr.service.config.ServiceConfig;
import dev.bbr.service.metrics.ServiceMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The service's HTTP listener (the JDK's server): {@code /healthz} for anyone (process supervisors
 * and load balancers), {@code /metrics} and {@code /api/v1/...} only with the token (401 without).
 * Requests run on a few threads of their own, so a long download never holds up a scrape.
 */
public final class ServiceHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bbr-service-http");
        t.setDaemon(true);
        return t;
    });

    public ServiceHttpServer(ServiceConfig.Http config, ServiceMetrics metrics, Api api, BooleanSupplier healthy)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 16);
        TokenCheck token = new TokenCheck(config.token().reveal());
        server.createContext("/healthz", exchange -> handle(exchange, () -> {
            boolean ok = healthy.getAsBoolean();
            Exchanges.json(exchange, ok ? 200 : 503, Map.of("status", ok ? "ok" : "stopping"));
        }));
        server.createContext("/metrics", exchange -> handle(exchange, () -> {
            if (!authorized(exchange, token)) {
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", ServiceMetrics.contentType());
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                metrics.write(out);
            }
        }));
        server.createContext("/api/", exchange -> handle(exchange, () -> {
            if (authorized(exchange, token)) {
                api.handle(exchange);
            }
        }));
        server.setExecutor(threads);
    }

    public void start() {
        server.start();
    }

    /** The bound port (the config may ask for port 0, any free one). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static boolean authorized(HttpExchange exchange, TokenCheck token) throws IOException {
        if (token.allows(exchange)) {
            return true;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"bbr\"");
        Exchanges.error(exchange, 401, "a valid token is needed: Authorization: Bearer <token>");
        return false;
    }

    private interface Handler {
        void run() throws IOException;
    }

    private static void handle(HttpExchange exchange, Handler handler) {
        try (exchange) {
            try {
                handler.run();
            } catch (IOException | RuntimeException e) {
                try {
                    Exchanges.error(exchange, 500, e.getMessage() == null ? e.toString() : e.getMessage());
                } catch (IOException | RuntimeException ignored) {
                    // the answer was already under way; the client sees a cut stream
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(1);
        threads.shutdownNow();
    }
}
