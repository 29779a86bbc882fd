package dev.bbr.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.ExecResult;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.yaml.snakeyaml.Yaml;

/**
 * Shared helpers of the Backup*E2ETest classes: running bbr, resetting the lab, reading artifacts independently.
 * The public ones also check the backups of the packaged distribution ({@code dev.bbr.cli.dist.DistributionIT}).
 */
public final class BackupE2eSupport {
    public static final String DEP = "lab-deployment";
    static final String LAB_FILE = "labs/backup-e2e.yml";
    static final String ADVICE = "It is recommended that you run `bbr backup-cleanup` to ensure that any temp files"
            + " are cleaned up and all jobs are unlocked.";
    static final String ARTIFACT_ROOT = "/var/vcap/store/bbr-backup";
    /** bbr's log line: {@code [bbr] 2024/01/02 15:04:05 INFO - msg}. */
    static final String LOG_LINE = "\\[bbr\\] \\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} (INFO|DEBUG|ERROR|WARN) - .*";

    private BackupE2eSupport() {}

    // ------------------------------------------------------------------ running bbr

    static CliRun bbr(Lab lab, String... args) {
        return CliRun.run(null, new HashMap<>(lab.env()), args);
    }

    static CliRun backup(Lab lab, String deployment, Path artifactPath, String... extra) {
        List<String> args = new ArrayList<>(List.of("deployment", "--deployment", deployment, "backup",
                "--artifact-path", artifactPath.toString()));
        args.addAll(List.of(extra));
        return bbr(lab, args.toArray(String[]::new));
    }

    /** The environment of a subprocess: nothing BOSH-ish inherited, only the lab's. */
    static ProcessBuilder subprocess(Lab lab, List<String> jvmArgs, String... bbrArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.bbr.cli.Main");
        cmd.addAll(List.of(bbrArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("BOSH_") || k.equals("CA_CERT") || k.startsWith("LAB_")
                || k.equals("ALL_PROXY") || k.equals("all_proxy"));
        pb.environment().putAll(lab.env());
        pb.environment().put("NO_COLOR", "1");
        return pb;
    }

    /** A running bbr subprocess whose stdout/stderr lines are collected (with arrival times) as they come. */
    static final class Bbr implements AutoCloseable {
        final Process process;
        final List<Line> out = new CopyOnWriteArrayList<>();
        final List<Line> err = new CopyOnWriteArrayList<>();
        private final StringBuilder rawOut = new StringBuilder();

        private final List<Thread> pumps = new ArrayList<>();

        record Line(long nanos, String text) {}

        Bbr(ProcessBuilder pb) throws IOException {
            this.process = pb.start();
            pump(process.getInputStream(), out, true);
            pump(process.getErrorStream(), err, false);
        }

        private void pump(InputStream in, List<Line> sink, boolean raw) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    StringBuilder line = new StringBuilder();
                    int c;
                    while ((c = r.read()) != -1) {
                        if (raw) {
                            synchronized (rawOut) {
                                rawOut.append((char) c);
                            }
                        }
                        if (c == '\n') {
                            sink.add(new Line(System.nanoTime(), line.toString()));
                            line.setLength(0);
                        } else {
                            line.append((char) c);
                        }
                    }
                    if (line.length() > 0) {
                        sink.add(new Line(System.nanoTime(), line.toString()));
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, "bbr-e2e-pump");
            t.setDaemon(true);
            t.start();
            pumps.add(t);
        }

        /** Everything printed on stdout so far, including a line without its newline yet. */
        String rawOut() {
            synchronized (rawOut) {
                return rawOut.toString();
            }
        }

        String out() {
            return String.join("\n", out.stream().map(Line::text).toList());
        }

        String err() {
            return String.join("\n", err.stream().map(Line::text).toList());
        }

        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -" + name).isZero();
        }

        void answer(String text) throws IOException {
            OutputStream stdin = process.getOutputStream();
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        int await(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("bbr did not exit within " + seconds + " s\nstdout:\n" + out() + "\nstderr:\n" + err());
            }
            // the pumps end when the pipes close: then every line is collected
            for (Thread pump : pumps) {
                pump.join(TimeUnit.SECONDS.toMillis(10));
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    static void waitFor(String what, long seconds, java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(java.time.Duration.ofSeconds(seconds))
                .pollInterval(java.time.Duration.ofMillis(50)).until(condition::getAsBoolean);
    }

    // ------------------------------------------------------------------ the Director, directly

    /** One HTTPS request to the lab Director with the lab's basic credentials (redirects not followed). */
    static java.net.http.HttpResponse<String> director(Lab lab, String method, String path, String json) throws Exception {
        java.security.cert.Certificate ca;
        try (InputStream in = Files.newInputStream(lab.caCertPath())) {
            ca = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(ssl)
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        String auth = java.util.Base64.getEncoder().encodeToString((lab.client() + ":" + lab.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(lab.directorUrl() + path)).header("Authorization", "Basic " + auth);
        if (json == null) {
            request.method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(json));
        }
        return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ lab state

    /**
     * Puts every instance back into its pristine state: no remote artifact dir (unmounting the tmpfs some
     * tests put there), no failure knobs, no runtime params, empty call and lock logs, no extra data files.
     */
    public static void reset(Lab lab) {
        lab.faults().clear();
        for (LabInstance vm : lab.allVms()) {
            if (vm.deployment().equals(Lab.DIRECTOR_VM) || vm.deployment().equals(Lab.JUMPBOX)) {
                continue;
            }
            vm.exec("set -e; for m in $(awk '$2 ~ \"^/var/vcap/store/bbr-backup\" {print $2}' /proc/self/mounts); do "
                    + "umount \"$m\"; done; chattr -R -i /var/vcap/store/bbr-backup 2>/dev/null || true; "
                    + "rm -rf /var/vcap/store/bbr-backup /var/vcap/store/lab-fail /var/vcap/store/lab-sleep "
                    + "/var/vcap/store/lab-params "
                    + "/var/vcap/store/fail-* /var/vcap/store/data/extra* /var/vcap/store/data/big.bin; "
                    + "rm -f /var/vcap/sys/log/lab/calls.log /var/vcap/sys/log/lock-recorder/locks.log")
                    .orThrow("reset " + vm.name());
        }
        lab.clearRequests();
    }

    /** Makes {@code job}'s {@code script} fail on the instance with the given stderr message. */
    static void failScript(LabInstance vm, String job, String script, String message) {
        vm.exec("mkdir -p /var/vcap/store/lab-fail/" + job + " && printf '%s' '" + message + "' > /var/vcap/store/lab-fail/"
                + job + "/" + script).orThrow("fail " + job + "/" + script);
    }

    /** Makes {@code job}'s {@code script} sleep this many seconds before it does anything. */
    static void sleepScript(LabInstance vm, String job, String script, int seconds) {
        vm.exec("mkdir -p /var/vcap/store/lab-sleep/" + job + " && echo " + seconds + " > /var/vcap/store/lab-sleep/"
                + job + "/" + script).orThrow("sleep " + job + "/" + script);
    }

    /** Writes a runtime params file that the job's scripts source (plain bash). */
    static void jobParams(LabInstance vm, String job, String bash) {
        try {
            Path dir = vm.varVcap().resolve("store/lab-params");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(job + ".env"), bash + "\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean remoteArtifactRootExists(LabInstance vm) {
        return Files.exists(vm.varVcap().resolve("store/bbr-backup"));
    }

    /** Lines of the instance's sshd log, to count handshakes made during a run. */
    public static List<String> sshdLog(LabInstance vm) {
        try {
            return Files.exists(vm.sshdLog()) ? Files.readAllLines(vm.sshdLog(), StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Integer> sshdLogSizes(List<LabInstance> vms) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        vms.forEach(vm -> sizes.put(vm.name(), sshdLog(vm).size()));
        return sizes;
    }

    /** sshd "Accepted publickey for bosh_…" lines logged since {@code before}. */
    static List<String> acceptedBoshLogins(LabInstance vm, Map<String, Integer> before) {
        List<String> lines = sshdLog(vm);
        return lines.subList(before.getOrDefault(vm.name(), 0), lines.size()).stream()
                .filter(l -> l.contains("Accepted publickey for bosh_")).toList();
    }

    // ------------------------------------------------------------------ calls.log / locks.log

    /** One calls.log line: {@code <ns> <group/idx> <job> <script> user=… BBR_…=…}. */
    record Call(long nanos, String instance, String job, String script, Map<String, String> env) {
        static Call parse(String line) {
            String[] parts = line.split(" ");
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 4; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    env.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            return new Call(Long.parseLong(parts[0]), parts[1], parts[2], parts[3], env);
        }

        String key() {
            return instance + " " + job + " " + script;
        }
    }

    static List<Call> calls(Lab lab, String deployment) {
        return lab.scriptCalls(deployment).stream().map(Call::parse).toList();
    }

    static List<Call> calls(Lab lab, String deployment, String script) {
        return calls(lab, deployment).stream().filter(c -> c.script().equals(script)).toList();
    }

    /** One locks.log line: {@code <ns> <group/idx> <job> <lock|unlock>}. */
    record LockEvent(long nanos, String instance, String job, String what) {
        static LockEvent parse(String line) {
            String[] p = line.split(" ");
            return new LockEvent(Long.parseLong(p[0]), p[1], p[2], p[3]);
        }

        String target() {
            return instance + " " + job;
        }
    }

    static List<LockEvent> lockEvents(Lab lab, String deployment) {
        return lab.lockEvents(deployment).stream().map(LockEvent::parse).toList();
    }

    /** Every locked job was unlocked afterwards (same instance and job, later timestamp). */
    static void assertNothingLeftLocked(Lab lab, String deployment) {
        Map<String, Long> lastLock = new TreeMap<>();
        Map<String, Long> lastUnlock = new TreeMap<>();
        for (LockEvent e : lockEvents(lab, deployment)) {
            (e.what().equals("lock") ? lastLock : lastUnlock).put(e.target(), e.nanos());
        }
        assertThat(lastLock).as("jobs locked during the run").isNotEmpty();
        lastLock.forEach((target, t) -> assertThat(lastUnlock.get(target))
                .as("unlock of %s after its lock (locks.log: %s)", target, lab.lockEvents(deployment))
                .isNotNull().isGreaterThan(t));
    }

    // ------------------------------------------------------------------ local artifacts

    /** The single backup directory {@code <dep>_<UTC ts>} under the artifact path. */
    public static Path onlyBackupDir(Path artifactPath, String deployment) throws IOException {
        try (Stream<Path> s = Files.list(artifactPath)) {
            List<Path> dirs = s.toList();
            assertThat(dirs).as("entries under --artifact-path").hasSize(1);
            assertThat(dirs.get(0).getFileName().toString()).matches(java.util.regex.Pattern.quote(deployment)
                    + "_\\d{8}T\\d{6}Z");
            return dirs.get(0);
        }
    }

    public static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> metadata(Path backupDir) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(backupDir.resolve("metadata")));
    }

    /** artifact name ({@code group-index-job} or the custom name) → checksums, from the metadata. */
    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, String>> metadataChecksums(Map<String, Object> metadata) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Map<String, Object> instance : (List<Map<String, Object>>) metadata.getOrDefault("instances", List.of())) {
            assertThat(instance.get("index")).as("index is a string").isInstanceOf(String.class);
            for (Map<String, Object> artifact : (List<Map<String, Object>>) instance.get("artifacts")) {
                out.put(instance.get("name") + "-" + instance.get("index") + "-" + artifact.get("name"),
                        (Map<String, String>) artifact.get("checksums"));
            }
        }
        for (Map<String, Object> custom : (List<Map<String, Object>>) metadata.getOrDefault("custom_artifacts", List.of())) {
            out.put((String) custom.get("name"), (Map<String, String>) custom.get("checksums"));
        }
        return out;
    }

    /** A tar read in the test: regular file name → SHA-256, and name → content for small files. */
    public record TarContents(Map<String, String> sha256, Map<String, byte[]> small, List<String> names) {
        public String text(String name) {
            return new String(small.get(name), StandardCharsets.UTF_8);
        }
    }

    public static TarContents readTar(Path tar) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        Map<String, byte[]> small = new TreeMap<>();
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tar);
             TarArchiveInputStream t = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                names.add(e.getName());
                if (!e.isFile()) {
                    continue;
                }
                MessageDigest md = sha256();
                java.io.ByteArrayOutputStream keep = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[65536];
                int n;
                while ((n = t.read(buf)) != -1) {
                    md.update(buf, 0, n);
                    if (keep.size() < 1 << 20) {
                        keep.write(buf, 0, n);
                    }
                }
                sums.put(e.getName(), HexFormat.of().formatHex(md.digest()));
                if (e.getSize() < 1 << 20) {
                    small.put(e.getName(), keep.toByteArray());
                }
            }
        }
        return new TarContents(sums, small, names);
    }

    /** SHA-256 of every regular file under a host directory, keyed {@code ./relative/path}. */
    public static Map<String, String> hostChecksums(Path dir, Predicate<Path> include) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(include).toList()) {
                out.put("./" + dir.relativize(p).toString().replace('\\', '/'), sha256(p));
            }
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) != -1) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ExecResult exec(LabInstance vm, String bash) {
        return vm.exec(bash).orThrow(bash);
    }
}
