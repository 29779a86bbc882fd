package dev.bbr.store.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.TransferOptions;
import dev.bbr.store.remote.TransferStats;
import dev.bbr.store.testkit.TestBytes;
import dev.bbr.store.testkit.TestServer;
import dev.bbr.store.testkit.ThrottlingProxy;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SFTP store when things go wrong: sshd dying mid-upload, a wrong key or host key, no directory, a slow link. */
class SftpFaultTest {
    private static final ArtifactId ARTIFACT = ArtifactId.of("redis", "0", "redis-server");
    private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
    @TempDir
    static Path temp;
    private static TestSftpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestSftpServer.start(temp.resolve("sshd"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static SftpOptions options(TransferStats stats, int inFlight, int attempts) {
        return new SftpOptions(TransferOptions.defaults().withPartSize(4 * 1024 * 1024).withPartsInFlight(inFlight)
                .withRetries(attempts, Duration.ofMillis(200), Duration.ofSeconds(1)).withStats(stats));
    }

    private static String newDirectory() throws IOException, InterruptedException {
        return server.location(Files.createDirectories(server.data.resolve(UUID.randomUUID().toString())));
    }

    @Test
    void aServerKilledMidUploadAndRestartedWithinTheRetryWindowLosesNothing() throws Exception {
        TransferStats stats = new TransferStats();
        try (SftpStores.Connections c = SftpStores.connections(server.env(), options(stats, 2, 40))) {
            SftpArtifactStore store = c.store(newDirectory(), Layout.FLAT, Clock.fixed(T0, ZoneOffset.UTC));
            BackupDestination backup = store.createBackup("redis");
            long size = 40L * 1024 * 1024 + 17;
            CountDownLatch halfway = new CountDownLatch(1);
            String sha;
            try (ArtifactOutput out = backup.openArtifact(ARTIFACT)) {
                CompletableFuture<Void> chaos = CompletableFuture.runAsync(() -> {
                    try {
                        halfway.await();
                        server.kill(); // SIGKILL: the listener and the session's processes
                        Thread.sleep(1500);
                        server.start();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    AtomicLong seen = new AtomicLong();
                    OutputStream watched = new FilterOutputStream(out) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                            if (seen.addAndGet(len) > 16L * 1024 * 1024) {
                                halfway.countDown();
                            }
                        }
                    };
                    sha = TestBytes.write(watched, size, 11, 512 * 1024);
                } finally {
                    halfway.countDown(); // a writer that failed early still lets the restart happen
                    chaos.get(60, TimeUnit.SECONDS); // the server is back before the next test
                }
            }
            backup.markComplete();
            try (InputStream in = store.open(BbrLayout.backupName("redis", T0)).openArtifact(ARTIFACT)) {
                assertThat(TestBytes.read(in)).isEqualTo(new TestBytes.Digest(sha, size));
            }
            assertThat(stats.retries()).as("parts were retried across the restart").isPositive();
        }
    }

    @Test
    void aKeyTheServerDoesNotAcceptIsNamed() throws Exception {
        Path otherKey = temp.resolve("other_key");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString()).start().waitFor();
        Map<String, String> env = server.env();
        env.put("BBR_SFTP_KEY", otherKey.toString());
        String location = newDirectory();
        StorageRegistry.Adapter adapter = SftpStores.adapter(env, Clock.systemUTC(), Layout.FLAT,
                options(new TransferStats(), 2, 2));
        StoreException e = catchThrowableOfType(StoreException.class, () -> adapter.store(location).createBackup("redis"));
        assertThat(e.getMessage()).contains("sftp://root@127.0.0.1:" + server.port).contains("authentication as root")
                .contains("BBR_SFTP_KEY=" + otherKey).contains("authorized_keys").doesNotContain("\n")
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void anUnknownOrChangedHostKeyIsRefusedWithItsFingerprint() throws Exception {
        String fingerprint = server.hostFingerprint();
        String location = newDirectory();
        String unpinned = location.substring(0, location.indexOf('?'));
        Map<String, String> env = server.env();
        env.put("BBR_SFTP_KNOWN_HOSTS", temp.resolve("empty_known_hosts").toString());
        StoreException unknown = catchThrowableOfType(StoreException.class, () -> SftpStores.adapter(env,
                Clock.systemUTC(), Layout.FLAT, SftpOptions.defaults()).store(unpinned).backups());
        assertThat(unknown.getMessage()).contains("is not in").contains("fingerprint=" + fingerprint);

        StoreException changed = catchThrowableOfType(StoreException.class, () -> SftpStores.adapter(server.env(),
                Clock.systemUTC(), Layout.FLAT, SftpOptions.defaults())
                .store(unpinned + "?fingerprint=SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").backups());
        assertThat(changed.getMessage()).contains("host key verification failed").contains(fingerprint);

        Path knownHosts = temp.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        env.put("BBR_SFTP_KNOWN_HOSTS", knownHosts.toString());
        assertThat(SftpStores.adapter(env, Clock.systemUTC(), Layout.FLAT, SftpOptions.defaults()).store(unpinned)
                .backups()).isEmpty();
    }

    @Test
    void aMissingDirectoryIsReportedAsBbrDoes() throws Exception {
        String location = server.location(server.data.resolve("no-such-dir"));
        StorageRegistry.Adapter adapter = SftpStores.adapter(server.env(), Clock.systemUTC(), Layout.FLAT,
                SftpOptions.defaults());
        StoreException e = catchThrowableOfType(StoreException.class, () -> adapter.store(location).createBackup("redis"));
        assertThat(e.getMessage()).contains("stat sftp://root@127.0.0.1:" + server.port + server.data.resolve("no-such-dir")
                + ": no such file or directory");
        assertThat(catchThrowableOfType(StoreException.class, () -> adapter.locate(location)).reason())
                .isEqualTo(StoreException.Reason.NOT_FOUND);
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int closed = TestServer.freePort();
        StorageRegistry.Adapter adapter = SftpStores.adapter(server.env(), Clock.systemUTC(), Layout.FLAT,
                SftpOptions.defaults());
        StoreException e = catchThrowableOfType(StoreException.class, () -> adapter.store("sftp://root@127.0.0.1:"
                + closed + "/srv/backups?fingerprint=" + server.hostFingerprint()).createBackup("redis"));
        assertThat(e.getMessage()).contains("sftp://root@127.0.0.1:" + closed + "/srv/backups")
                .contains("cannot reach 127.0.0.1:" + closed).doesNotContain("fingerprint=").doesNotContain("\n");
    }

    @Test
    void aSlowLinkKeepsTheUploadBuffersBounded() throws Exception {
        TransferStats stats = new TransferStats();
        try (ThrottlingProxy slow = new ThrottlingProxy(server.port, 12L * 1024 * 1024);
             SftpStores.Connections c = SftpStores.connections(server.env(), options(stats, 2, 3))) {
            Path dir = Files.createDirectories(server.data.resolve(UUID.randomUUID().toString()));
            // the proxy's port in the location: pin the same host key
            String location = "sftp://root@127.0.0.1:" + slow.port() + dir + "?fingerprint=" + server.hostFingerprint();
            SftpArtifactStore store = c.store(location, Layout.FLAT, Clock.fixed(T0, ZoneOffset.UTC));
            BackupDestination backup = store.createBackup("redis");
            String sha;
            try (ArtifactOutput out = backup.openArtifact(ARTIFACT)) {
                sha = TestBytes.write(out, 40L * 1024 * 1024, 12, 64 * 1024);
            }
            assertThat(stats.peakBuffers()).as(stats.toString()).isLessThanOrEqualTo(3);
            assertThat(stats.peakBytes()).isLessThanOrEqualTo(3L * 4 * 1024 * 1024);
            assertThat(stats.liveBuffers()).isZero();
            try (InputStream in = store.open(BbrLayout.backupName("redis", T0)).openArtifact(ARTIFACT)) {
                assertThat(TestBytes.read(in).sha256()).isEqualTo(sha);
            }
        }
    }

    @Test
    void locationsParse() throws Exception {
        SftpLocation l = SftpLocation.parse("sftp://backup@nas.example:2222/srv/bbr/?fingerprint=SHA256:ab+c/d&key=/k");
        assertThat(l.user()).isEqualTo("backup");
        assertThat(l.port()).isEqualTo(2222);
        assertThat(l.path()).isEqualTo("/srv/bbr");
        assertThat(l.fingerprint()).contains("SHA256:ab+c/d");
        assertThat(l.keyFile()).contains("/k");
        assertThat(l.toString()).isEqualTo("sftp://backup@nas.example:2222/srv/bbr");
        assertThat(SftpLocation.parse("sftp://u@h/~/backups").directory()).isEqualTo("backups");
        assertThat(SftpLocation.parse("sftp://u@h/~/backups").toString()).isEqualTo("sftp://u@h/~/backups");
        assertThat(SftpLocation.parse("sftp://u@[::1]:22/x").host()).isEqualTo("::1");
        for (String bad : List.of("sftp://host/x", "sftp://u:pw@h/x", "sftp://u@h/x?password=1", "sftp://u@h:0/x",
                "sftp://u@h/a/../b", "sftp://u@h/x?fingerprint=MD5:aa")) {
            assertThat(catchThrowableOfType(StoreException.class, () -> SftpLocation.parse(bad)).reason())
                    .as(bad).isEqualTo(StoreException.Reason.UNSUPPORTED_LOCATION);
        }
    }

    @Test
    void aDatedBackupLocationOpensInItsDatedStore() throws Exception {
        String root = newDirectory();
        StorageRegistry.Adapter adapter = SftpStores.adapter(server.env(), Clock.fixed(T0, ZoneOffset.UTC),
                Layout.DATED, SftpOptions.defaults());
        BackupDestination backup = adapter.store(root).createBackup("redis");
        backup.writeMetadata(dev.bbr.artifacts.metadata.BackupMetadata.empty());
        backup.markComplete();
        String name = BbrLayout.backupName("redis", T0);
        String base = root.substring(0, root.indexOf('?'));
        String query = root.substring(root.indexOf('?'));
        StorageRegistry.Located located = adapter.locate(base + "/redis/2026/12/07/" + name + query);
        assertThat(located.isBackup()).isTrue();
        assertThat(located.backup()).isEqualTo(name);
        assertThat(located.store().location()).isEqualTo(base);
        assertThat(adapter.openBackup(base + "/redis/2026/12/07/" + name + query).incompleteReason()).isEmpty();
        assertThat(adapter.locate(root).isBackup()).isFalse();
    }
}
