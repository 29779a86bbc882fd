package dev.bbr.store.sftp;

import dev.bbr.store.testkit.ServerPolicy;
import dev.bbr.store.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenSSH sshd on 127.0.0.1 serving SFTP (internal-sftp) to root with a generated key, in
 * its own directory (host key, client key, config, log). Started by the tests, stopped (or killed, to
 * simulate a crash) by PID: the listener and the session processes it forked.
 */
final class TestSftpServer implements AutoCloseable {
    final Path dir;
    final Path data;
    final Path clientKey;
    final int port;
    private Process process;

    private TestSftpServer(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.clientKey = dir.resolve("client_key");
        this.port = port;
    }

    /** Starts one, or skips (fails with CI=true) the test when sshd cannot run here. */
    static TestSftpServer start(Path dir) throws Exception {
        String missing = !Files.isExecutable(Path.of("/usr/sbin/sshd")) ? "OpenSSH server (/usr/sbin/sshd) is not"
                + " installed; run scripts/install-prerequisites"
                : !"root".equals(System.getProperty("user.name")) ? "the SFTP tests run sshd for root: run them as root"
                : null;
        if (missing != null) {
            ServerPolicy.unavailable(missing, null);
        }
        TestSftpServer server = new TestSftpServer(dir, TestServer.freePort());
        try {
            server.init();
            server.start();
        } catch (IOException e) {
            ServerPolicy.unavailable("cannot start a test sshd", e);
        }
        return server;
    }

    private void init() throws IOException, InterruptedException {
        Files.createDirectories(data);
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory
        exec(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString()));
        exec(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", clientKey.toString()));
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        Files.write(dir.resolve("sshd_config"), List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "StrictModes no",
                "UsePAM no",
                "MaxStartups 64",
                "MaxSessions 32",
                "Subsystem sftp internal-sftp",
                "LogLevel INFO"));
    }

    /** Starts (or restarts, same port and keys) the listener. */
    void start() throws IOException, InterruptedException {
        Path log = dir.resolve("sshd.log");
        long before = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder("/usr/sbin/sshd", "-D", "-f", dir.resolve("sshd_config").toString(), "-E",
                log.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("sshd.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                break;
            }
            if (Files.exists(log) && Files.size(log) > before
                    && Files.readString(log).substring((int) before).contains("Server listening on 127.0.0.1 port " + port)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.out"))
                + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /** SIGKILL to the listener and every session process it forked: the server dies mid-transfer. */
    void kill() throws InterruptedException {
        List<ProcessHandle> all = new java.util.ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The host key's fingerprint as ssh-keygen -l prints it. */
    String hostFingerprint() throws IOException, InterruptedException {
        String out = exec(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_key.pub").toString()));
        return out.split("\\s+")[1];
    }

    /** A known_hosts line for this server. */
    String knownHostsLine() throws IOException {
        String[] pub = Files.readString(dir.resolve("host_key.pub")).trim().split("\\s+");
        return "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1];
    }

    /** An sftp:// location of an absolute directory on this server, pinned by fingerprint. */
    String location(Path directory) throws IOException, InterruptedException {
        return "sftp://root@127.0.0.1:" + port + directory + "?fingerprint=" + hostFingerprint();
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BBR_SFTP_KEY", clientKey.toString());
        env.put("HOME", "/nonexistent");
        return env;
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            for (ProcessHandle p : process.descendants().toList()) {
                p.destroy();
            }
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
        return out;
    }
}
