package dev.bbr.cli.e2e;

import org.awaitility.Awaitility;
import java.time.Duration;
import static dev.bbr.cli.e2e.RestoreE2eSupport.DEP;
import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.onlyBackupDir;
import static dev.bbr.cli.e2e.RestoreE2eSupport.sha256Tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's CLI check through both BOSH_ALL_PROXY forms, against labs/private.yml where the
 * Director (10.244.0.10) and the instances (10.244.0.20+) are reachable ONLY through the jumpbox
 * (10.245.0.2): a run that succeeds there must have gone through the proxy. Each run gets its own
 * {@code user.home}, so the host's {@code ~/.ssh/known_hosts} is neither read nor written.
 */
class ProxyE2ETest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/private.yml");

    @TempDir
    Path tmp;

    private Lab l;

    @BeforeEach
    void reset() {
        l = lab.get();
        for (LabInstance vm : l.instances(DEP)) {
            exec(vm, "rm -rf /var/vcap/store/bbr-backup");
        }
        l.clearRequests();
    }

    private Map<String, String> env(String proxy) {
        Map<String, String> env = new HashMap<>(l.env());
        if (proxy != null) {
            env.put("BOSH_ALL_PROXY", proxy);
        }
        return env;
    }

    private CliRun bbrWithHome(Map<String, String> env, String... args) throws Exception {
        return withHome(() -> bbr(env, args));
    }

    private <T> T withHome(Callable<T> body) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        String saved = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            return body.call();
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    private String jumpboxKey() {
        String proxy = l.env().get("LAB_JUMPBOX_PROXY");
        return proxy.substring(proxy.indexOf("private-key=") + "private-key=".length());
    }

    @Test
    void withoutAProxyTheDirectorIsUnreachable() throws Exception {
        CliRun r = bbrWithHome(env(null), "deployment", "pre-backup-check");
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(r.err()).contains("10.244.0.10");
        assertThat(l.requests()).isEmpty();
    }

    @Test
    void preBackupCheckAndRestoreRoundTripThroughSshSocks5() throws Exception {
        Map<String, String> env = env(l.env().get("LAB_JUMPBOX_PROXY"));
        assertThat(env.get("BOSH_ALL_PROXY")).startsWith("ssh+socks5://lab-jumpbox@");
        CliRun check = bbrWithHome(env, "deployment", "pre-backup-check");
        assertThat(check.exitCode()).as(describe(check)).isZero();
        assertThat(check.out()).contains("Deployment '" + DEP + "' can be backed up.");
        assertThat(l.requests()).anyMatch(q -> q.method().equals("POST") && q.path().endsWith("/ssh"));

        // instance SSH (uploads included) goes through the same tunnel
        LabInstance db1 = l.instance(DEP, "database", 1);
        Map<String, String> before = sha256Tree(db1, "/var/vcap/store/data");
        Path artifacts = Files.createDirectories(tmp.resolve("artifacts"));
        CliRun b = bbrWithHome(env, "deployment", "backup", "--artifact-path", artifacts.toString());
        assertThat(b.exitCode()).as(describe(b)).isZero();
        exec(db1, "rm -rf /var/vcap/store/data");
        CliRun r = bbrWithHome(env, "deployment", "restore", "--artifact-path", onlyBackupDir(artifacts).toString());
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(sha256Tree(db1, "/var/vcap/store/data")).isEqualTo(before);
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void preBackupCheckThroughASocks5ProxyFromSshD() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process tunnel = new ProcessBuilder("ssh", "-N", "-D", "127.0.0.1:" + port, "-i", jumpboxKey(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=no", "-o", "LogLevel=ERROR", "-o", "ExitOnForwardFailure=yes",
                "lab-jumpbox@" + l.jumpbox().ip())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("ssh-D.log").toFile()).start();
        try {
            waitForListener(port, tunnel);
            CliRun r = bbrWithHome(env("socks5://127.0.0.1:" + port), "deployment", "pre-backup-check");
            assertThat(r.exitCode()).as(describe(r)).isZero();
            assertThat(r.out()).contains("Deployment '" + DEP + "' can be backed up.");
            assertThat(l.requests()).anyMatch(q -> q.method().equals("POST") && q.path().endsWith("/ssh"));
            assertThat(l.boshUsers()).isEmpty();
        } finally {
            tunnel.destroy();
            if (!tunnel.waitFor(5, TimeUnit.SECONDS)) {
                tunnel.destroyForcibly();
            }
        }
        // with the tunnel gone the same command fails: the proxy really carried the traffic
        l.clearRequests();
        CliRun gone = bbrWithHome(env("socks5://127.0.0.1:" + port), "deployment", "pre-backup-check");
        assertThat(gone.exitCode()).as(describe(gone)).isEqualTo(1);
        assertThat(l.requests()).isEmpty();
    }

    private void waitForListener(int port, Process tunnel) {
        Awaitility.await("ssh -D listening on " + port).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    assertThat(tunnel.isAlive()).as("ssh -D exited: %s", readLog()).isTrue();
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private String readLog() {
        try {
            return Files.readString(tmp.resolve("ssh-D.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
