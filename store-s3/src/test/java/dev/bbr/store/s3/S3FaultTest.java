package dev.bbr.store.s3;

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
import dev.bbr.store.testkit.ServerPolicy;
import dev.bbr.store.testkit.TestBytes;
import dev.bbr.store.testkit.TestServer;
import dev.bbr.store.testkit.ThrottlingProxy;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The S3 store when things go wrong: a server dying mid-upload, bad credentials, no bucket, a slow store. */
class S3FaultTest {
    @RegisterExtension
    static final TestServer S3PROXY = TestServer.s3proxy();
    private static final ArtifactId ARTIFACT = ArtifactId.of("redis", "0", "redis-server");
    private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");

    @TempDir
    Path temp;

    @Test
    void aServerKilledMidUploadAndRestartedWithinTheRetryWindowLosesNothing() throws Exception {
        TestServer.Instance server = TestServer.privateInstance("s3proxy", temp.resolve("s3proxy"));
        try {
            server.start();
        } catch (IOException e) {
            ServerPolicy.unavailable("cannot start a private S3Proxy", e);
        }
        TransferStats stats = new TransferStats();
        S3Options options = S3Options.defaults().withTransfer(TransferOptions.defaults()
                .withPartSize(S3Options.MIN_PART_SIZE).withPartsInFlight(2)
                .withRetries(40, Duration.ofMillis(200), Duration.ofSeconds(1)).withStats(stats));
        try (S3Stores.Connection c = S3Stores.connect(S3TestSupport.env(server.endpoint()), options)) {
            S3TestSupport.ensureBucket(c.client(), "faults");
            S3ArtifactStore store = c.store("s3://faults/killed", Layout.FLAT, Clock.fixed(T0, ZoneOffset.UTC));
            BackupDestination backup = store.createBackup("redis");
            long size = 48L * 1024 * 1024 + 17;
            CountDownLatch halfway = new CountDownLatch(1);
            CountDownLatch restarted = new CountDownLatch(1);
            String sha;
            try (ArtifactOutput out = backup.openArtifact(ARTIFACT)) {
                CompletableFuture<Void> chaos = CompletableFuture.runAsync(() -> {
                    try {
                        halfway.await();
                        server.kill();
                        Thread.sleep(1500);
                        server.start();
                        restarted.countDown();
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
                            if (seen.addAndGet(len) > 20L * 1024 * 1024) {
                                halfway.countDown();
                            }
                        }
                    };
                    sha = TestBytes.write(watched, size, 11, 512 * 1024);
                } finally {
                    halfway.countDown(); // a writer that failed early still lets the restart happen
                    chaos.get(60, TimeUnit.SECONDS); // the server is back before the next test
                }
                assertThat(restarted.getCount()).isZero();
            }
            backup.markComplete();
            try (InputStream in = store.open(BbrLayout.backupName("redis", T0)).openArtifact(ARTIFACT)) {
                assertThat(TestBytes.read(in)).isEqualTo(new TestBytes.Digest(sha, size));
            }
            assertThat(stats.retries()).as("parts were retried across the restart").isPositive();
            assertThat(stats.liveBuffers()).isZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void wrongCredentialsSayWhatToCheckAndNeverShowTheSecret() throws Exception {
        String secret = "wrong-secret-" + UUID.randomUUID();
        Map<String, String> env = S3TestSupport.env(S3PROXY.instance().endpoint());
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_SESSION_TOKEN", "session-token-" + UUID.randomUUID());
        String token = env.get("AWS_SESSION_TOKEN");
        StorageRegistry.Adapter adapter = S3Stores.adapter(env, Clock.systemUTC(), Layout.FLAT, S3TestSupport.options());
        var store = adapter.store("s3://" + S3TestSupport.BUCKET + "/creds");
        StoreException e = catchThrowableOfType(StoreException.class, () -> store.createBackup("redis"));
        assertThat(e.getMessage()).contains("s3://" + S3TestSupport.BUCKET + "/creds").contains("access denied")
                .contains("AWS_ACCESS_KEY_ID").doesNotContain(secret).doesNotContain(token).doesNotContain("\n");
        StoreException located = catchThrowableOfType(StoreException.class,
                () -> adapter.locate("s3://" + S3TestSupport.BUCKET + "/creds"));
        assertThat(located.getMessage()).contains("access denied").doesNotContain(secret);
        assertThat(store.toString()).doesNotContain(secret).doesNotContain(token);
        assertThat(adapter.toString()).doesNotContain(secret);
        try (S3Stores.Connection c = S3Stores.connect(env, S3TestSupport.options())) {
            assertThat(c.toString()).doesNotContain(secret).doesNotContain(token).contains("AWS_ACCESS_KEY_ID");
        }
        assertThat(stackText(e)).doesNotContain(secret).doesNotContain(token);
    }

    @Test
    void aMissingBucketIsNamed() throws Exception {
        StorageRegistry.Adapter adapter = S3Stores.adapter(S3TestSupport.env(S3PROXY.instance().endpoint()),
                Clock.systemUTC(), Layout.FLAT, S3TestSupport.options());
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> adapter.store("s3://no-such-bucket-here/x").createBackup("redis"));
        assertThat(e.getMessage()).contains("s3://no-such-bucket-here/x").contains("the bucket no-such-bucket-here does"
                + " not exist").doesNotContain("\n");
        StoreException located = catchThrowableOfType(StoreException.class,
                () -> adapter.locate("s3://no-such-bucket-here/x"));
        assertThat(located.reason()).isEqualTo(StoreException.Reason.NOT_FOUND);
        assertThat(catchThrowableOfType(StoreException.class, () -> adapter.store("s3://no-such-bucket-here").backups())
                .getMessage()).contains("does not exist");
    }

    @Test
    void anUnreachableEndpointIsNamed() throws Exception {
        int closedPort = TestServer.freePort();
        StorageRegistry.Adapter adapter = S3Stores.adapter(S3TestSupport.env("http://127.0.0.1:" + closedPort),
                Clock.systemUTC(), Layout.FLAT, S3TestSupport.options());
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> adapter.store("s3://bucket/prefix").createBackup("redis"));
        assertThat(e.getMessage()).contains("s3://bucket/prefix").contains("cannot reach http://127.0.0.1:" + closedPort)
                .contains("AWS_ENDPOINT_URL").doesNotContain("\n");
    }

    @Test
    void aSlowStoreKeepsTheUploadBuffersBounded() throws Exception {
        TransferStats stats = new TransferStats();
        int partSize = S3Options.MIN_PART_SIZE;
        int inFlight = 2;
        S3Options options = S3Options.defaults().withTransfer(TransferOptions.defaults().withPartSize(partSize)
                .withPartsInFlight(inFlight).withStats(stats));
        try (ThrottlingProxy slow = new ThrottlingProxy(S3PROXY.instance().port(), 12L * 1024 * 1024);
             S3Stores.Connection c = S3Stores.connect(S3TestSupport.env("http://127.0.0.1:" + slow.port()), options)) {
            S3TestSupport.ensureBucket(c.client(), S3TestSupport.BUCKET);
            S3ArtifactStore store = c.store("s3://" + S3TestSupport.BUCKET + "/slow-" + UUID.randomUUID(), Layout.FLAT,
                    Clock.fixed(T0, ZoneOffset.UTC));
            BackupDestination backup = store.createBackup("redis");
            long size = 40L * 1024 * 1024;
            String sha;
            try (ArtifactOutput out = backup.openArtifact(ARTIFACT)) {
                sha = TestBytes.write(out, size, 12, 64 * 1024);
            }
            assertThat(stats.peakBuffers()).as(stats.toString()).isLessThanOrEqualTo(inFlight + 1);
            assertThat(stats.peakBytes()).isLessThanOrEqualTo(options.transfer().memoryBound());
            assertThat(stats.liveBuffers()).isZero();
            assertThat(stats.partsUploaded()).isEqualTo(8);
            try (InputStream in = store.open(BbrLayout.backupName("redis", T0)).openArtifact(ARTIFACT)) {
                assertThat(TestBytes.read(in).sha256()).isEqualTo(sha);
            }
        }
    }

    @Test
    void staleMultipartUploadsAreAbortedOnDeleteAndOnRequest() throws Exception {
        S3Options options = S3TestSupport.options().withStaleUploadAge(Duration.ZERO);
        try (S3Stores.Connection c = S3Stores.connect(S3TestSupport.env(S3PROXY.instance().endpoint()), options)) {
            S3TestSupport.ensureBucket(c.client(), S3TestSupport.BUCKET);
            String prefix = "stale-" + UUID.randomUUID();
            S3ArtifactStore store = c.store("s3://" + S3TestSupport.BUCKET + "/" + prefix, Layout.FLAT,
                    Clock.fixed(T0.plusSeconds(3600 * 24 * 365 * 10L), ZoneOffset.UTC));
            BackupDestination backup = store.createBackup("redis");
            backup.writeMetadata(dev.bbr.artifacts.metadata.BackupMetadata.empty());
            backup.markComplete();
            String name = store.backups().get(0);
            // a run that died mid-upload, inside the backup and elsewhere under the prefix
            c.client().createMultipartUpload(b -> b.bucket(S3TestSupport.BUCKET).key(prefix + "/" + name + "/x.tar"));
            c.client().createMultipartUpload(b -> b.bucket(S3TestSupport.BUCKET).key(prefix + "/other/y.tar"));
            store.delete(name);
            assertThat(pending(c, prefix + "/" + name + "/")).isZero();
            assertThat(pending(c, prefix + "/")).isEqualTo(1);
            assertThat(store.abortStaleUploads(Duration.ofMinutes(1))).isEqualTo(1);
            assertThat(pending(c, prefix + "/")).isZero();
        }
    }

    private static int pending(S3Stores.Connection c, String prefix) {
        return c.client().listMultipartUploads(b -> b.bucket(S3TestSupport.BUCKET).prefix(prefix)).uploads().size();
    }

    static String stackText(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
