package dev.bbr.ssh;

import org.awaitility.Awaitility;
import java.time.Duration;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real OpenSSH sshd on 127.0.0.1:random, configured in its own directory (host keys, config,
 * authorized_keys, log, pid file). Root login by key only. Stopped by PID in close().
 */
public final class TestSshd implements AutoCloseable {

    public static final String STEMCELL_CIPHERS =
            "aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr";
    public static final String STEMCELL_MACS = "hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
            + "umac-128-etm@openssh.com,hmac-sha2-512,hmac-sha2-256,umac-128@openssh.com";

    public final Path dir;
    public final int port;
    public final Path log;
    public final Path authorizedKeys;
    private final Process process;

    private TestSshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.log = dir.resolve("sshd.log");
        this.authorizedKeys = dir.resolve("authorized_keys");
    }

    /** Host keys are created once per directory and reused by later starts in it. */
    public static TestSshd start(Path dir, String... extraConfig) throws Exception {
        requirePrerequisites();
        Files.createDirectories(dir);
        // sshd refuses to start without its privilege separation directory (not created at boot here).
        Files.createDirectories(Path.of("/run/sshd"));
        for (String type : new String[] {"rsa", "ed25519", "ecdsa"}) {
            Path key = dir.resolve("ssh_host_" + type + "_key");
            if (!Files.exists(key)) {
                List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-f", key.toString()));
                if (type.equals("rsa")) {
                    cmd.addAll(List.of("-b", "2048"));
                }
                exec(cmd);
            }
        }
        Path ak = dir.resolve("authorized_keys");
        if (!Files.exists(ak)) {
            Files.writeString(ak, "");
        }
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            List<String> lines = new ArrayList<>(List.of(
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + dir.resolve("ssh_host_rsa_key"),
                    "HostKey " + dir.resolve("ssh_host_ed25519_key"),
                    "HostKey " + dir.resolve("ssh_host_ecdsa_key"),
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + ak,
                    "PermitRootLogin prohibit-password",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "StrictModes no",
                    "UsePAM no",
                    // MaxSessions left at OpenSSH's default of 10, as on BOSH stemcells
                    "MaxStartups 64",
                    "AllowTcpForwarding yes",
                    "Ciphers " + STEMCELL_CIPHERS,
                    "MACs " + STEMCELL_MACS));
            boolean hasLogLevel = false;
            for (String e : extraConfig) {
                hasLogLevel |= e.startsWith("LogLevel");
                lines.add(e);
            }
            if (!hasLogLevel) {
                lines.add("LogLevel VERBOSE");
            }
            Files.write(config, lines);
            Path logFile = dir.resolve("sshd.log");
            Process p = new ProcessBuilder("/usr/sbin/sshd", "-D", "-f", config.toString(), "-E", logFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.out").toFile())
                    .start();
            TestSshd sshd = new TestSshd(dir, port, p);
            if (sshd.awaitListening()) {
                return sshd;
            }
            sshd.close();
            last = new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.out"))
                    + (Files.exists(logFile) ? Files.readString(logFile) : ""));
        }
        throw last;
    }

    /**
     * The test policy for tests that need a real sshd: skipped with the reason outside CI, failed in
     * CI (CI=true), so CI never skips them silently. sshd runs as root here (it needs to for key auth
     * of other users and its privilege separation directory).
     */
    static void requirePrerequisites() {
        String missing = !Files.isExecutable(Path.of("/usr/sbin/sshd")) ? "OpenSSH server (/usr/sbin/sshd) is not"
                + " installed; run scripts/install-prerequisites"
                : !"root".equals(System.getProperty("user.name")) ? "sshd tests need root" : null;
        if (missing == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.fail(missing + " - failing because CI=true");
        }
        org.junit.jupiter.api.Assumptions.abort(missing);
    }

    /** Waits for the log line instead of probing with a connection (that would skew log counts). */
    private boolean awaitListening() {
        try {
            Awaitility.await("sshd listening").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !process.isAlive() || logText().contains("Server listening on 127.0.0.1 port " + port));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
        return process.isAlive();
    }

    public void authorize(String authorizedKeyLine) throws IOException {
        String line = authorizedKeyLine.endsWith("\n") ? authorizedKeyLine : authorizedKeyLine + "\n";
        Files.writeString(authorizedKeys, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** The "type base64 comment" line of one of this server's host public keys. */
    public String hostPublicKey(String type) throws IOException {
        return Files.readString(dir.resolve("ssh_host_" + type + "_key.pub"));
    }

    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public int countLog(String regex) throws IOException {
        return (int) Pattern.compile(regex).matcher(logText()).results().count();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM to this sshd's listener PID only
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    public static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
        return out;
    }
}
