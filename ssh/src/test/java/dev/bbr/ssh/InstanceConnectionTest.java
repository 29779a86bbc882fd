package dev.bbr.ssh;

import org.awaitility.Awaitility;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.ssh.proxy.AllProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class InstanceConnectionTest {

    @TempDir
    static Path tmp;
    static TestSshd sshd;
    static SshKey key;
    static InstanceConnection conn;

    @BeforeAll
    static void start() throws Exception {
        sshd = TestSshd.start(tmp.resolve("sshd"));
        key = SshKey.generateRsa2048();
        sshd.authorize(key.authorizedKeysLine());
        conn = SshTransport.create(AllProxy.direct()).connect(
                ConnectionSpec.of("127.0.0.1:" + sshd.port, "root", key, HostKeyCheck.pinned(sshd.hostPublicKey("rsa"))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (conn != null) {
            conn.close();
        }
        sshd.close();
    }

    @Test
    void manyCommandsUseOneConnectionAndOneHandshake() throws Exception {
        Path dir = tmp.resolve("one-handshake");
        try (TestSshd own = TestSshd.start(dir)) {
            own.authorize(key.authorizedKeysLine());
            try (InstanceConnection c = SshTransport.create(AllProxy.direct()).connect(
                    ConnectionSpec.of("127.0.0.1", own.port, "root", key, HostKeyCheck.pinned(own.hostPublicKey("rsa"))))) {
                for (int i = 0; i < 25; i++) {
                    CommandResult r = c.run("echo " + i);
                    assertThat(r.stdoutText()).isEqualTo(i + "\n");
                }
                assertThat(c.host()).isEqualTo("127.0.0.1:" + own.port);
            }
            // sshd writes its log asynchronously: one connection and one login, and no second arriving late
            Awaitility.await("one connection in sshd's log").during(Duration.ofMillis(200))
                    .atMost(Duration.ofSeconds(5)).until(() -> own.countLog("Connection from 127\\.0\\.0\\.1") == 1
                            && own.countLog("Accepted publickey for root") == 1);
        }
    }

    @Test
    void logsInWithTheGeneratedEd25519Key() throws Exception {
        SshKey ed25519 = SshKey.generateEd25519();
        sshd.authorize(ed25519.authorizedKeysLine());
        try (InstanceConnection c = SshTransport.create(AllProxy.direct()).connect(ConnectionSpec.of(
                "127.0.0.1:" + sshd.port, "root", ed25519, HostKeyCheck.pinned(sshd.hostPublicKey("rsa"))))) {
            assertThat(c.run("echo in").stdoutText()).isEqualTo("in\n");
        }
        Awaitility.await("sshd logged the ed25519 login").atMost(Duration.ofSeconds(5))
                .until(() -> sshd.countLog("Accepted publickey for root .* ED25519 ") >= 1);
    }

    @Test
    void exitCodesAndStderrPropagate() throws Exception {
        CommandResult r = conn.run("echo s3cret; echo err >&2; exit 7");
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdoutText()).isEqualTo("s3cret\n");
        // endsWith: root's ~/.bashrc on this machine (pyenv) sometimes writes its own noise to stderr
        assertThat(r.stderr()).endsWith("err\n");
        assertThat(conn.run("true").exitCode()).isZero();
        assertThat(conn.run("false").exitCode()).isEqualTo(1);
        assertThat(r.toString()).doesNotContain("s3cret");
    }

    @Test
    void streams64MiBOfStdoutIntoSinkWithMatchingSha256() throws Exception {
        String remote = "/tmp/bbr-ssh-test-" + ProcessHandle.current().pid() + ".bin";
        try {
            assertThat(conn.run("head -c 67108864 /dev/urandom > " + remote).exitCode()).isZero();
            String expected = conn.run("sha256sum " + remote).stdoutText().split(" ")[0];
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            CountingOutputStream counter = new CountingOutputStream();
            long t0 = System.nanoTime();
            CommandResult r = conn.run("cat " + remote, null, new DigestOutputStream(counter, md));
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEmpty();
            assertThat(counter.count).isEqualTo(64L * 1024 * 1024);
            assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(expected);
            System.out.printf("64 MiB download: %.1f MB/s%n", 64 * 1.048576 / secs);
        } finally {
            conn.run("rm -f " + remote);
        }
    }

    @Test
    void uploads32MiBOnStdin() throws Exception {
        byte[] data = new byte[32 * 1024 * 1024];
        new Random(42).nextBytes(data);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandResult r = conn.run("sha256sum", new ByteArrayInputStream(data), out);
        assertThat(r.exitCode()).isZero();
        assertThat(out.toString()).startsWith(expected + "  -");
    }

    @Test
    void largeStderrAndStdoutTogetherDoNotDeadlock() throws Exception {
        // 8 MiB on each stream, far beyond both 2 MiB windows
        CommandResult r = conn.run("head -c 8388608 /dev/zero | tr '\\0' e >&2 & head -c 8388608 /dev/zero; wait; echo done >&2");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).hasSize(8 * 1024 * 1024);
        assertThat(r.stderr()).hasSize(InstanceConnection.STDERR_TAIL).endsWith("eeedone\n");
    }

    /** Regression: sshj's reader thread used to block 30 s on the stdin writer's monitor. */
    @Test
    @Timeout(10)
    void commandThatIgnoresStdinStillCompletes() throws Exception {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        CommandResult r = conn.run("echo skipped", endless, new ByteArrayOutputStream());
        assertThat(r.exitCode()).isZero();
    }

    /**
     * Issue 17: the remote stops reading (as tar -x does at the end-of-archive blocks) and exits
     * while the local stdin is still being read. When run() returns, nothing may read the caller's
     * stdin any more: the caller inspects it (the restore upload asks it for checksums) at once.
     */
    @Test
    @Timeout(20)
    void noReadOfStdinIsInProgressOrStartsAfterRunReturns() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inProgress = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger readsAfterReturn = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        InputStream slowAfterFirstChunk = new InputStream() {
            int reads;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (returned.get()) {
                    readsAfterReturn.incrementAndGet();
                }
                inProgress.incrementAndGet();
                try {
                    if (reads++ > 0) {
                        Thread.sleep(600); // a slow local disk: the remote exits meanwhile
                    }
                    java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                    return len;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                } finally {
                    inProgress.decrementAndGet();
                }
            }
        };

        CommandResult r = conn.run("head -c 10 > /dev/null", slowAfterFirstChunk, new ByteArrayOutputStream());
        returned.set(true);
        int readingAtReturn = inProgress.get();
        // a read the pump would still start comes within the slow read's 600 ms: watch for 1 s
        Awaitility.await("no read after run() returned").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> readsAfterReturn.get() == 0);

        assertThat(r.exitCode()).isZero();
        assertThat(readingAtReturn).as("stdin reads still in progress when run() returned").isZero();
        assertThat(readsAfterReturn.get()).as("stdin reads started after run() returned").isZero();
    }

    /** The drain's side of the same race: the remote exits while the local consumer is still reading. */
    @Test
    @Timeout(30)
    void aConsumerSlowerThanTheRemoteCommandStillGetsEveryByte() throws Exception {
        long expected = 4L * 1024 * 1024;
        long[] seen = new long[1];
        CommandResult r = conn.read("head -c " + expected + " /dev/zero", stdout -> {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = stdout.read(buf)) >= 0) {
                seen[0] += n;
                if (seen[0] < 256 * 1024) {
                    sleepQuietly(50); // the remote has long exited with its status before this finishes
                }
            }
        });
        assertThat(r.exitCode()).isZero();
        assertThat(seen[0]).isEqualTo(expected);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A control command (stopping a cancelled run) never queues behind the commands it must stop. */
    @Test
    @Timeout(30)
    void controlCommandsDoNotWaitBehindAFullSessionQueue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(InstanceConnection.MAX_CONCURRENT_SESSIONS);
        try {
            List<Future<CommandResult>> busy = new ArrayList<>();
            String marker = "/tmp/bbr-busy-" + ProcessHandle.current().pid() + "-";
            for (int i = 0; i < InstanceConnection.MAX_CONCURRENT_SESSIONS; i++) {
                String started = marker + i;
                busy.add(pool.submit(() -> conn.run("touch " + started + "; sleep 4; rm -f " + started)));
            }
            // every regular session is taken once each command has started
            Awaitility.await("all regular sessions busy").atMost(Duration.ofSeconds(10)).until(() ->
                    java.util.stream.IntStream.range(0, InstanceConnection.MAX_CONCURRENT_SESSIONS)
                            .allMatch(i -> java.nio.file.Files.exists(Path.of(marker + i))));
            long t0 = System.nanoTime();
            assertThat(conn.runControl("echo control").stdoutText()).isEqualTo("control\n");
            assertThat((System.nanoTime() - t0) / 1e9).as("seconds the control command waited").isLessThan(2.5);
            for (Future<CommandResult> f : busy) {
                assertThat(f.get().exitCode()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void killedRemoteCommandRaisesMissingExitCode() {
        assertThatThrownBy(() -> conn.run("kill -KILL $$"))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("ssh session ended before returning an exit code: ")
                .hasMessageContaining("KILL");
        assertThat(conn.isConnected()).isTrue();
    }

    @Test
    void failingSinkClosesSessionAndReportsStdoutWrite() throws Exception {
        OutputStream diskFull = new OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 1024 * 1024) {
                    throw new IOException("No space left on device");
                }
            }
        };
        assertThatThrownBy(() -> conn.run("cat /dev/zero", null, diskFull))
                .isInstanceOf(SshException.class)
                .hasMessage("stdout.Write failed: No space left on device");
        // the connection survives for other commands
        assertThat(conn.run("echo still-here").stdoutText()).isEqualTo("still-here\n");
    }

    @Test
    void inMemoryCaptureIsCapped() {
        assertThatThrownBy(() -> conn.run("head -c 17000000 /dev/zero"))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("stdout.Write failed: output exceeds the in-memory limit");
    }

    @Test
    void localStdinFailureIsNotMistakenForEof() {
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 1000) {
                    throw new IOException("disk read error");
                }
                return 'a';
            }
        };
        assertThatThrownBy(() -> conn.run("cat > /dev/null", broken, new ByteArrayOutputStream()))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("disk read error");
    }

    @Test
    void concurrentCommandsOnOneConnection() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CommandResult>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                futures.add(pool.submit(() -> conn.run("head -c " + (n * 100_000) + " /dev/zero; echo -n " + n + " >&2; exit " + n)));
            }
            for (int i = 0; i < 16; i++) {
                CommandResult r = futures.get(i).get();
                assertThat(r.exitCode()).isEqualTo(i);
                assertThat(r.stdout()).hasSize(i * 100_000);
                assertThat(r.stderr()).endsWith(String.valueOf(i)); // see exitCodesAndStderrPropagate
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void moreConcurrentCommandsThanSshdMaxSessionsQueueInsteadOfFailing() throws Exception {
        // sshd here keeps OpenSSH's MaxSessions 10; 24 overlapping commands would get "open failed"
        int commands = 24;
        ExecutorService pool = Executors.newFixedThreadPool(commands);
        try {
            List<Future<CommandResult>> futures = new ArrayList<>();
            for (int i = 0; i < commands; i++) {
                int n = i;
                futures.add(pool.submit(() -> conn.run("sleep 0.3; exit " + n)));
            }
            for (int i = 0; i < commands; i++) {
                assertThat(futures.get(i).get().exitCode()).isEqualTo(i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sessionsRefusedByALowMaxSessionsAreRetriedUntilOneIsFree(@TempDir Path dir) throws Exception {
        // more overlapping commands than this server allows: each refused open is retried
        try (TestSshd strict = TestSshd.start(dir, "MaxSessions 2")) {
            strict.authorize(key.authorizedKeysLine());
            try (InstanceConnection c = SshTransport.create(AllProxy.direct()).connect(ConnectionSpec.of("127.0.0.1",
                    strict.port, "root", key, HostKeyCheck.pinned(strict.hostPublicKey("rsa"))))) {
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    List<Future<CommandResult>> futures = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        int n = i;
                        futures.add(pool.submit(() -> c.run("sleep 0.2; exit " + n)));
                    }
                    for (int i = 0; i < 8; i++) {
                        assertThat(futures.get(i).get().exitCode()).isEqualTo(i);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void closeIsIdempotentAndLaterRunsFail() throws Exception {
        InstanceConnection c = SshTransport.create(AllProxy.direct()).connect(
                ConnectionSpec.of("127.0.0.1", sshd.port, "root", key, HostKeyCheck.pinned(sshd.hostPublicKey("rsa"))));
        c.close();
        c.close();
        assertThat(c.isConnected()).isFalse();
        assertThatThrownBy(() -> c.run("true")).isInstanceOf(SshException.class);
    }

    @Test
    void wrongUserKeyFailsToDial() {
        SshKey stranger = SshKey.generateRsa2048();
        assertThatThrownBy(() -> SshTransport.create(AllProxy.direct()).connect(
                ConnectionSpec.of("127.0.0.1", sshd.port, "root", stranger, HostKeyCheck.pinned(sshd.hostPublicKey("rsa")))))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("ssh.Dial failed: 127.0.0.1:" + sshd.port);
    }

    @Test
    void refusedPortFailsToDial() throws Exception {
        int closedPort = TestSshd.freePort();
        assertThatThrownBy(() -> SshTransport.create(AllProxy.direct()).connect(
                ConnectionSpec.of("127.0.0.1", closedPort, "root", key, HostKeyCheck.pinned(sshd.hostPublicKey("rsa")))))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("ssh.Dial failed: 127.0.0.1:" + closedPort)
                .hasMessageContaining("Connection refused");
    }

    /** Issue 10 item 7: a host that does not resolve says so in the resolver's words, as Go bbr does. */
    @Test
    void unresolvableHostFailsWithTheResolversWords() throws Exception {
        assertThatThrownBy(() -> SshTransport.create(AllProxy.direct()).connect(
                ConnectionSpec.of("no-such-host.invalid", 22, "root", key, HostKeyCheck.pinned(sshd.hostPublicKey("rsa")))))
                .isInstanceOf(SshException.class)
                .hasMessage("ssh.Dial failed: dial tcp: lookup no-such-host.invalid: no such host");
    }

    @Test
    void resolverReasonsOtherThanNotFoundArePassedOn() {
        assertThat(SshTransport.resolverReason(new java.net.UnknownHostException("h: Name or service not known")))
                .isEqualTo("no such host");
        assertThat(SshTransport.resolverReason(new java.net.UnknownHostException("h")))
                .isEqualTo("no such host");
        assertThat(SshTransport.resolverReason(new java.net.UnknownHostException(
                "h: Temporary failure in name resolution"))).isEqualTo("Temporary failure in name resolution");
    }

    @Test
    @Timeout(20)
    void readHandsStdoutToConsumerAndDrainsWhatItLeaves() throws Exception {
        byte[][] head = new byte[1][];
        // 8 MiB: far more than the 2 MiB window, so an undrained rest would block the remote
        CommandResult r = conn.read("printf header; head -c 8388608 /dev/zero; exit 3", in -> head[0] = in.readNBytes(6));
        assertThat(new String(head[0], java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("header");
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void readConsumerFailureIsReportedAsStdoutWrite() {
        assertThatThrownBy(() -> conn.read("cat /dev/zero", in -> {
            in.readNBytes(100_000);
            throw new IOException("No space left on device");
        }))
                .isInstanceOf(SshException.class)
                .hasMessage("stdout.Write failed: No space left on device");
    }

    @Test
    void droppedConnectionMidStreamRaisesMissingExitCode() throws Exception {
        try (TestSshd own = TestSshd.start(tmp.resolve("dropped"))) {
            own.authorize(key.authorizedKeysLine());
            try (InstanceConnection c = SshTransport.create(AllProxy.direct()).connect(
                    ConnectionSpec.of("127.0.0.1", own.port, "root", key, HostKeyCheck.pinned(own.hostPublicKey("rsa"))))) {
                OutputStream killer = new OutputStream() {
                    long written;

                    @Override
                    public void write(int b) {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        written += len;
                        if (written > 1024 * 1024 && written - len <= 1024 * 1024) {
                            // kill this test sshd's per-connection processes: the network "fails"
                            ProcessHandle.of(own.pid()).orElseThrow().descendants().forEach(ProcessHandle::destroyForcibly);
                        }
                    }
                };
                assertThatThrownBy(() -> c.run("cat /dev/zero", null, killer))
                        .isInstanceOf(SshException.class)
                        .hasMessageStartingWith("ssh session ended before returning an exit code: ");
            }
        }
    }

    static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
