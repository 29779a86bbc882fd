package dev.bbr.store.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A storage server for tests (S3Proxy or Azurite), run through {@code scripts/test-servers} so tests and
 * developers start it the same way. As a JUnit 5 extension ({@code @RegisterExtension static final
 * TestServer S3 = TestServer.s3proxy();}) it reuses the server {@code scripts/test-servers start}
 * started, or starts one of its own for this test JVM (a free port, state in a temp directory), stopped
 * by PID when the JVM's tests end. If it cannot start, the test class is skipped with the reason, or
 * fails with CI=true. {@link #privateInstance} gives a fault test a server of its own to kill and restart.
 */
public final class TestServer implements BeforeAllCallback {
    /** The well-known local test credentials of the throwaway servers (the script uses the same). */
    public static final String S3PROXY_IDENTITY = "local-identity";
    public static final String S3PROXY_CREDENTIAL = "local-credential";
    public static final String AZURITE_ACCOUNT = "devstoreaccount1";
    public static final String AZURITE_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Map<String, Instance> SHARED = new ConcurrentHashMap<>();
    private final String kind;

    private TestServer(String kind) {
        this.kind = kind;
    }

    public static TestServer s3proxy() {
        return new TestServer("s3proxy");
    }

    public static TestServer azurite() {
        return new TestServer("azurite");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            instance();
        } catch (Exception e) {
            ServerPolicy.unavailable(kind + " test server is not available (scripts/test-servers start " + kind + ")",
                    e);
        }
    }

    /** The shared server: the one scripts/test-servers started, or one this JVM starts once. */
    public Instance instance() throws IOException, InterruptedException {
        Instance existing = SHARED.get(kind);
        if (existing != null) {
            return existing;
        }
        synchronized (SHARED) {
            existing = SHARED.get(kind);
            if (existing != null) {
                return existing;
            }
            Path repo = repoRoot();
            Path state = Optional.ofNullable(System.getenv("BBR_TEST_SERVERS_DIR")).map(Path::of)
                    .orElse(repo.resolve(".test-servers"));
            Instance instance = Instance.reuse(repo, kind, state)
                    .orElse(null);
            if (instance == null) {
                Path own = Files.createTempDirectory("bbr-test-servers-");
                instance = new Instance(repo, kind, own, freePort(), true);
                instance.start();
                Instance started = instance;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.stopQuietly();
                    deleteQuietly(own);
                }, "bbr-test-server-stop"));
            }
            SHARED.put(kind, instance);
            return instance;
        }
    }

    /** A server only the caller uses (to kill and restart), in {@code state}; the caller stops it. */
    public static Instance privateInstance(String kind, Path state) throws IOException {
        return new Instance(repoRoot(), kind, state, freePort(), true);
    }

    /** One server process managed by scripts/test-servers in one state directory. */
    public static final class Instance {
        private final Path repo;
        private final String kind;
        private final Path state;
        private final int port;
        private final boolean owned;

        Instance(Path repo, String kind, Path state, int port, boolean owned) {
            this.repo = repo;
            this.kind = kind;
            this.state = state;
            this.port = port;
            this.owned = owned;
        }

        static Optional<Instance> reuse(Path repo, String kind, Path state) throws IOException {
            Path pidFile = state.resolve(kind + ".pid");
            Path portFile = state.resolve(kind + ".port");
            if (!Files.isRegularFile(pidFile) || !Files.isRegularFile(portFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            int port = Integer.parseInt(Files.readString(portFile).trim());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && listening(port)) {
                return Optional.of(new Instance(repo, kind, state, port, false));
            }
            return Optional.empty();
        }

        public int port() {
            return port;
        }

        /** http://127.0.0.1:PORT (S3Proxy) or http://127.0.0.1:PORT/devstoreaccount1 (Azurite). */
        public String endpoint() {
            return "http://127.0.0.1:" + port + (kind.equals("azurite") ? "/" + AZURITE_ACCOUNT : "");
        }

        /** Azurite's connection string. */
        public String connectionString() {
            return "DefaultEndpointsProtocol=http;AccountName=" + AZURITE_ACCOUNT + ";AccountKey=" + AZURITE_KEY
                    + ";BlobEndpoint=" + endpoint() + ";";
        }

        public void start(String... extraEnv) throws IOException, InterruptedException {
            script("start", extraEnv);
        }

        public void stop() throws IOException, InterruptedException {
            if (owned) {
                script("stop");
            }
        }

        /** SIGKILL, as a crash. */
        public void kill() throws IOException, InterruptedException {
            script("kill");
        }

        void stopQuietly() {
            try {
                stop();
            } catch (IOException | InterruptedException | RuntimeException ignored) {
                // shutting down
            }
        }

        public Path state() {
            return state;
        }

        private void script(String command, String... extraEnv) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(repo.resolve("scripts/test-servers").toString(), command, kind));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
            pb.environment().put("BBR_TEST_SERVERS_DIR", state.toString());
            pb.environment().put(kind.equals("s3proxy") ? "S3PROXY_PORT" : "AZURITE_PORT", Integer.toString(port));
            for (String e : extraEnv) {
                int eq = e.indexOf('=');
                pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("scripts/test-servers " + command + " " + kind + " failed: " + out.strip());
            }
        }

        @Override
        public String toString() {
            return kind + " at " + endpoint() + (owned ? " (started by the tests)" : " (scripts/test-servers)");
        }
    }

    /** The repository root: the nearest parent with scripts/test-servers. */
    public static Path repoRoot() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("scripts/test-servers"))) {
                return p;
            }
        }
        throw new IOException("scripts/test-servers not found above " + dir);
    }

    static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temp directory left behind
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
