package dev.bbr.ssh.proxy;

import org.awaitility.Awaitility;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.bbr.ssh.CommandResult;
import dev.bbr.ssh.ConnectionSpec;
import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.InstanceConnection;
import dev.bbr.ssh.SshException;
import dev.bbr.ssh.SshKey;
import dev.bbr.ssh.SshTransport;
import dev.bbr.ssh.TestSshd;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real proxies: OpenSSH `ssh -D` for socks5://, a jumpbox sshd for ssh+socks5://. */
@Timeout(60)
class ProxyIntegrationTest {

    @TempDir
    static Path tmp;
    static TestSshd instance;   // the "VM"
    static TestSshd jumpbox;    // target of ssh -D and of ssh+socks5
    static SshKey instanceKey;
    static Path jumpKeyFile;
    static Process socksProcess;
    static int socksPort;
    static Path socksLog;
    static HttpServer http;

    @BeforeAll
    static void start() throws Exception {
        instance = TestSshd.start(tmp.resolve("instance"));
        jumpbox = TestSshd.start(tmp.resolve("jumpbox"), "LogLevel DEBUG");
        instanceKey = SshKey.generateRsa2048();
        instance.authorize(instanceKey.authorizedKeysLine());
        jumpKeyFile = tmp.resolve("jump_id");
        TestSshd.exec(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", jumpKeyFile.toString()));
        jumpbox.authorize(Files.readString(Path.of(jumpKeyFile + ".pub")));

        socksPort = freePort();
        socksLog = tmp.resolve("ssh-D.log");
        socksProcess = new ProcessBuilder("ssh", "-v", "-N", "-D", "127.0.0.1:" + socksPort,
                "-i", jumpKeyFile.toString(), "-p", String.valueOf(jumpbox.port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "ExitOnForwardFailure=yes", "-E", socksLog.toString(), "root@127.0.0.1")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("ssh-D.out").toFile()).start();
        Awaitility.await("ssh -D listening").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    assertThat(socksProcess.isAlive()).as("ssh -D died: %s", Files.exists(socksLog)
                            ? Files.readString(socksLog) : "").isTrue();
                    return Files.exists(socksLog) && Files.readString(socksLog)
                            .contains("listening on 127.0.0.1 port " + socksPort);
                });

        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            byte[] body = ("hello " + ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        http.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.stop(0);
        }
        if (socksProcess != null) {
            socksProcess.destroy();
            socksProcess.waitFor(5, TimeUnit.SECONDS);
        }
        jumpbox.close();
        instance.close();
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static int socksForwards() throws Exception {
        // ssh -v logs one "dynamic-tcpip" channel per SOCKS connection it forwards
        return (int) Files.readAllLines(socksLog).stream().filter(l -> l.contains("new dynamic-tcpip")).count();
    }

    private static ConnectionSpec instanceSpec(String host) throws Exception {
        return ConnectionSpec.of(host, instance.port, "root", instanceKey, HostKeyCheck.pinned(instance.hostPublicKey("rsa")));
    }

    private AllProxy sshSocks5(HostKeyCheck check) {
        return AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY",
                "ssh+socks5://root@127.0.0.1:" + jumpbox.port + "?private-key=" + jumpKeyFile), check);
    }

    @Test
    void socks5InstanceConnectionGoesThroughTheProxy() throws Exception {
        AllProxy proxy = AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", "socks5://127.0.0.1:" + socksPort), null);
        int before = socksForwards();
        // "localhost" is sent to the proxy unresolved; the proxy resolves it
        try (InstanceConnection c = SshTransport.create(proxy).connect(instanceSpec("localhost"))) {
            assertThat(c.run("echo via-socks").stdoutText()).isEqualTo("via-socks\n");
        }
        // ssh -D logs the forward asynchronously
        Awaitility.await("the forward in ssh -D's log").atMost(Duration.ofSeconds(5))
                .until(() -> socksForwards() == before + 1);
    }

    @Test
    void noProxyHostGoesDirect() throws Exception {
        AllProxy proxy = AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", "socks5://127.0.0.1:" + socksPort,
                "NO_PROXY", "127.0.0.1"), null);
        int before = socksForwards();
        try (InstanceConnection c = SshTransport.create(proxy).connect(instanceSpec("127.0.0.1"))) {
            assertThat(c.run("echo direct").stdoutText()).isEqualTo("direct\n");
        }
        // nothing may reach the proxy's log, however long we look
        Awaitility.await("no forward in ssh -D's log").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> socksForwards() == before);
    }

    @Test
    void sshSocks5TunnelsInstanceConnectionsOverOneJumpboxConnection() throws Exception {
        List<String> tofu = new CopyOnWriteArrayList<>();
        int acceptedBefore = jumpbox.countLog("Accepted publickey for root");
        try (AllProxy proxy = sshSocks5(HostKeyCheck.knownHostsOrTrustOnFirstUse(tmp.resolve("no_known_hosts"), tofu::add))) {
            SshTransport transport = SshTransport.create(proxy);
            try (InstanceConnection a = transport.connect(instanceSpec("localhost"));
                 InstanceConnection b = transport.connect(instanceSpec("127.0.0.1"))) {
                assertThat(a.run("echo a").stdoutText()).isEqualTo("a\n");
                assertThat(b.run("echo b").stdoutText()).isEqualTo("b\n");
                // a decent stream through two SSH layers
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                CommandResult r = a.run("head -c 4194304 /dev/zero", null, sink);
                assertThat(r.exitCode()).isZero();
                assertThat(sink.size()).isEqualTo(4 * 1024 * 1024);
            }
        }
        // sshd writes its log asynchronously; one login, and no second one arriving late
        Awaitility.await("one jumpbox login").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> jumpbox.countLog("Accepted publickey for root") - acceptedBefore == 1);
        assertThat(jumpbox.logText()).contains("target localhost port " + instance.port);
        assertThat(tofu).singleElement().asString()
                .startsWith("Accepting host key for 127.0.0.1:" + jumpbox.port + " on first use: SHA256:");
    }

    @Test
    void tunnelSocketFactoryCarriesHttpThroughTheJumpbox() throws Exception {
        try (AllProxy proxy = sshSocks5(HostKeyCheck.knownHostsOrTrustOnFirstUse(tmp.resolve("nokh"), m -> { }))) {
            SocketFactory f = proxy.tunnelSocketFactory().orElseThrow();
            int port = http.getAddress().getPort();
            // 1) unresolved name, 2) the placeholder-address trick an OkHttp Dns would use
            for (InetSocketAddress target : List.of(
                    InetSocketAddress.createUnresolved("localhost", port),
                    new InetSocketAddress(InetAddress.getByAddress("localhost", new byte[4]), port))) {
                try (Socket s = f.createSocket()) {
                    s.connect(target, 5000);
                    assertThat(s.isConnected()).isTrue();
                    assertThat(s.getPort()).isEqualTo(port);
                    assertThat(s.getInetAddress().getHostName()).isEqualTo("localhost");
                    s.getOutputStream().write(("GET /tunnel HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello /tunnel");
                }
            }
            assertThat(jumpbox.logText()).contains("target localhost port " + port);
        }
    }

    @Test
    void tunnelSocketHonoursReadTimeout() throws Exception {
        try (AllProxy proxy = sshSocks5(HostKeyCheck.knownHostsOrTrustOnFirstUse(tmp.resolve("nokh"), m -> { }));
             Socket s = proxy.tunnelSocketFactory().orElseThrow().createSocket()) {
            s.connect(InetSocketAddress.createUnresolved("127.0.0.1", http.getAddress().getPort()), 5000);
            s.setSoTimeout(200);
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 3000L);
            // the socket is still usable after a timeout, as with a real Socket
            s.getOutputStream().write("GET /again HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.setSoTimeout(5000);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).endsWith("hello /again");
        }
    }

    @Test
    void staleJumpboxKeyIsRefused() throws Exception {
        Path kh = tmp.resolve("stale_known_hosts");
        Files.writeString(kh, "[127.0.0.1]:" + jumpbox.port + " " + SshKey.generateRsa2048().authorizedKeysLine());
        try (AllProxy proxy = sshSocks5(HostKeyCheck.knownHostsOrTrustOnFirstUse(kh, m -> { }))) {
            assertThatThrownBy(() -> SshTransport.create(proxy).connect(instanceSpec("127.0.0.1")))
                    .isInstanceOf(SshException.class)
                    .hasMessageStartingWith("ssh.Dial failed: Creating SOCKS5 dialer: Host key verification failed for 127.0.0.1:"
                            + jumpbox.port)
                    .hasMessageContaining("remove the stale line");
        }
    }

    @Test
    void unreachableTargetBehindJumpboxFailsCleanly() throws Exception {
        int closed = freePort();
        try (AllProxy proxy = sshSocks5(HostKeyCheck.knownHostsOrTrustOnFirstUse(tmp.resolve("nokh"), m -> { }))) {
            assertThatThrownBy(() -> SshTransport.create(proxy).connect(ConnectionSpec.of("127.0.0.1", closed, "root",
                    instanceKey, HostKeyCheck.pinned(instance.hostPublicKey("rsa")))))
                    .isInstanceOf(SshException.class)
                    .hasMessageStartingWith("ssh.Dial failed: Dialing 127.0.0.1:" + closed + " through SOCKS5 proxy");
            // the jumpbox connection is still fine for the next dial
            try (InstanceConnection c = SshTransport.create(proxy).connect(instanceSpec("127.0.0.1"))) {
                assertThat(c.run("true").exitCode()).isZero();
            }
        }
    }

    @Test
    void ecdsaAndEd25519ClientKeysAuthenticate() throws Exception {
        for (String type : List.of("ecdsa", "ed25519")) {
            Path f = tmp.resolve("client_" + type);
            TestSshd.exec(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-f", f.toString()));
            SshKey k = SshKey.fromPemFile(f);
            instance.authorize(k.authorizedKeysLine());
            // pinned RSA host key + non-RSA client key: the client key's algorithms must stay offered
            try (InstanceConnection c = SshTransport.create(AllProxy.direct()).connect(ConnectionSpec.of("127.0.0.1",
                    instance.port, "root", k, HostKeyCheck.pinned(instance.hostPublicKey("rsa"))))) {
                assertThat(c.run("echo " + type).stdoutText()).isEqualTo(type + "\n");
            }
        }
    }
}
