package dev.bbr.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Entry point for scripts/lab:
 * <pre>
 *   LabMain up STATE_DIR [LAB_FILE|resource]   runs the lab in this JVM until SIGTERM (nohup'ed by the script)
 *   LabMain down STATE_DIR                     stops the lab JVM by pid, then removes anything left
 *   LabMain status STATE_DIR                   prints whether it is up (exit 0) or not (exit 3)
 * </pre>
 */
public final class LabMain {
    private LabMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LabMain up|down|status STATE_DIR [LAB_FILE]");
            System.exit(2);
        }
        Path state = Path.of(args[1]).toAbsolutePath().normalize();
        switch (args[0]) {
            case "up" -> up(state, args.length > 2 ? args[2] : "labs/default.yml");
            case "down" -> System.exit(down(state));
            case "status" -> System.exit(status(state));
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void up(Path state, String labFile) throws InterruptedException {
        // scripts/lab up must fail fast instead of queueing behind a running test lab
        System.setProperty("bbr.lab.waitSeconds", System.getProperty("bbr.lab.waitSeconds", "0"));
        Lab lab;
        try {
            Path file = Path.of(labFile);
            if (Files.isRegularFile(file)) {
                lab = Lab.start(file, state);
            } else {
                String yaml;
                try (var in = LabMain.class.getClassLoader().getResourceAsStream(labFile)) {
                    if (in == null) {
                        throw new LabException("lab file not found (neither a file nor a classpath resource): " + labFile);
                    }
                    yaml = new String(in.readAllBytes());
                }
                lab = Lab.start(LabConfig.parse(yaml), state);
            }
            Files.writeString(state.resolve("lab.pid"), ProcessHandle.current().pid() + "\n");
            Files.writeString(state.resolve("ready"), lab.directorUrl() + "\n" + lab.adminUrl() + "\n");
        } catch (LabException | IOException e) {
            System.err.println("lab up failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("lab up: " + lab.directorUrl() + " (env file " + state.resolve("env") + ")");
        // the shutdown hook registered by Lab tears everything down on SIGTERM/SIGINT
        Thread.currentThread().join();
    }

    private static int down(Path state) throws IOException {
        Optional<Long> pid = readPid(state.resolve("lab.pid"));
        if (pid.isEmpty()) {
            pid = LabState.current().filter(c -> c.stateDir().equals(state)).map(LabState.Current::ownerPid);
        }
        pid.flatMap(ProcessHandle::of).filter(ph -> ph.info().command().map(c -> c.contains("java")).orElse(false))
                .ifPresent(ph -> {
                    ph.destroy();
                    try {
                        ph.onExit().get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        ph.destroyForcibly();
                    }
                });
        // whatever a crashed or killed lab left behind
        var cur = LabState.current();
        if (cur.isPresent() && !cur.get().ownerAlive()) {
            LabState.cleanStale(cur.get().stateDir());
            LabState.release();
        }
        LabState.cleanStale(state);
        System.out.println("lab down");
        return 0;
    }

    private static int status(Path state) throws Exception {
        Optional<Long> pid = readPid(state.resolve("lab.pid"));
        boolean alive = pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            System.out.println("lab is down");
            return 3;
        }
        List<String> ready = Files.readAllLines(state.resolve("ready"));
        System.out.println("lab is up (pid " + pid.get() + "), director " + ready.get(0));
        var ca = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(state.resolve("director-ca.pem")));
        var ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient c = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(ready.get(1) + "/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(r.body());
            return 0;
        } catch (IOException e) {
            System.out.println("but its admin API does not answer: " + e);
            return 1;
        }
    }

    private static Optional<Long> readPid(Path f) {
        try {
            return Optional.of(Long.parseLong(Files.readString(f).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
