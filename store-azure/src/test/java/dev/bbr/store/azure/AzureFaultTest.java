package dev.bbr.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Azure store when things go wrong: Azurite dying mid-upload, bad credentials, no container, a slow store. */
class AzureFaultTest {
    @RegisterExtension
    static final TestServer AZURITE = TestServer.azurite();
    private static final ArtifactId ARTIFACT = ArtifactId.of("redis", "0", "redis-server");
    private static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");

    @TempDir
    Path temp;

    @Test
    void aServerKilledMidUploadAndRestartedWithinTheRetryWindowLosesNothing() throws Exception {
        TestServer.Instance server = TestServer.privateInstance("azurite", temp.resolve("azurite"));
        try {
            server.start();
        } catch (IOException e) {
            ServerPolicy.unavailable("cannot start a private Azurite", e);
        }
        TransferStats stats = new TransferStats();
        AzureOptions options = new AzureOptions(TransferOptions.defaults().withPartSize(4 * 1024 * 1024)
                .withPartsInFlight(2).withRetries(40, Duration.ofMillis(200), Duration.ofSeconds(1)).withStats(stats));
        try {
            AzureStores.Connection c = AzureStores.connect(AzureTestSupport.env(server), options);
            AzureTestSupport.ensureContainer(c, "faults");
            AzureArtifactStore store = c.store("azure://faults/killed", Layout.FLAT, Clock.fixed(T0, ZoneOffset.UTC));
            BackupDestination backup = store.createBackup("redis");
            long size = 40L * 1024 * 1024 + 17;
            CountDownLatch halfway = new CountDownLatch(1);
            String sha;
            try (ArtifactOutput out = backup.openArtifact(ARTIFACT)) {
                CompletableFuture<Void> chaos = CompletableFuture.runAsync(() -> {
                    try {
                        halfway.await();
                        // SIGTERM, not SIGKILL: Azurite keeps its metadata (containers, staged block lists) in
                        // an in-memory database saved every few seconds and on shutdown, so a SIGKILL loses
                        // what it acknowledged last (Azure itself does not); its stop is still abrupt for us
                        server.stop();
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
            assertThat(stats.retries()).as("blocks were retried across the restart").isPositive();
        } finally {
            server.stop();
        }
    }

    @Test
    void aWrongKeySaysWhatToCheckAndNeverShowsTheKey() throws Exception {
        String key = java.util.Base64.getEncoder().encodeToString(UUID.randomUUID().toString().repeat(2).getBytes());
        Map<String, String> env = new HashMap<>();
        env.put("AZURE_STORAGE_CONNECTION_STRING", AZURITE.instance().connectionString()
                .replace(TestServer.AZURITE_KEY, key));
        StorageRegistry.Adapter adapter = AzureStores.adapter(env, Clock.systemUTC(), Layout.FLAT,
                AzureTestSupport.options());
        var store = adapter.store("azure://" + AzureTestSupport.CONTAINER + "/creds");
        StoreException e = catchThrowableOfType(StoreException.class, () -> store.createBackup("redis"));
        assertThat(e.getMessage()).contains("azure://" + AzureTestSupport.CONTAINER + "/creds").contains("access denied")
                .contains("AZURE_STORAGE_CONNECTION_STRING").doesNotContain(key).doesNotContain("\n");
        assertThat(store.toString()).doesNotContain(key);
        assertThat(AzureStores.connect(env, AzureTestSupport.options()).toString()).doesNotContain(key)
                .doesNotContain("AccountKey");
        assertThat(stackText(e)).doesNotContain(key);
    }

    @Test
    void aSasTokenWorksAndAWrongOneIsNeverShown() throws Exception {
        AzureStores.Connection admin = AzureStores.connect(AzureTestSupport.env(AZURITE.instance()),
                AzureTestSupport.options());
        AzureTestSupport.ensureContainer(admin, AzureTestSupport.CONTAINER);
        String sas = admin.client().getBlobContainerClient(AzureTestSupport.CONTAINER).generateSas(
                new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                        BlobContainerSasPermission.parse("racwdl")));
        Map<String, String> env = new HashMap<>();
        env.put("AZURE_STORAGE_ACCOUNT", TestServer.AZURITE_ACCOUNT);
        env.put("AZURE_STORAGE_SAS_TOKEN", sas);
        env.put("AZURE_STORAGE_BLOB_ENDPOINT", AZURITE.instance().endpoint());
        String root = "azure://" + AzureTestSupport.CONTAINER + "/sas-" + UUID.randomUUID();
        var store = AzureStores.connect(env, AzureTestSupport.options()).store(root, Layout.FLAT,
                Clock.fixed(T0, ZoneOffset.UTC));
        BackupDestination backup = store.createBackup("redis");
        backup.writeFile("manifest.yml", new byte[] {1, 2});
        backup.markComplete();
        assertThat(store.backups()).containsExactly(BbrLayout.backupName("redis", T0));

        String signature = sas.replaceAll(".*sig=([^&]+).*", "$1");
        String forged = sas.replace(signature, "AAAA" + signature.substring(4));
        env.put("AZURE_STORAGE_SAS_TOKEN", forged);
        AzureArtifactStore denied = AzureStores.connect(env, AzureTestSupport.options()).store(root, Layout.FLAT,
                Clock.systemUTC());
        StoreException e = catchThrowableOfType(StoreException.class, denied::backups);
        assertThat(e.getMessage()).contains(root).contains("access denied").contains("AZURE_STORAGE_SAS_TOKEN")
                .doesNotContain(forged).doesNotContain(signature).doesNotContain("sig=");
        assertThat(stackText(e)).doesNotContain(signature.substring(4));
        assertThat(denied.toString()).doesNotContain("sig");
    }

    @Test
    void aMissingContainerIsNamed() throws Exception {
        StorageRegistry.Adapter adapter = AzureStores.adapter(AzureTestSupport.env(AZURITE.instance()),
                Clock.systemUTC(), Layout.FLAT, AzureTestSupport.options());
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> adapter.store("azure://no-such-container/x").createBackup("redis"));
        assertThat(e.getMessage()).contains("azure://no-such-container/x")
                .contains("the container no-such-container does not exist").doesNotContain("\n");
        assertThat(catchThrowableOfType(StoreException.class, () -> adapter.locate("azure://no-such-container/x"))
                .reason()).isEqualTo(StoreException.Reason.NOT_FOUND);
    }

    @Test
    void anUnreachableEndpointIsNamed() throws Exception {
        int closedPort = TestServer.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("AZURE_STORAGE_CONNECTION_STRING", AZURITE.instance().connectionString()
                .replace(":" + AZURITE.instance().port() + "/", ":" + closedPort + "/"));
        StorageRegistry.Adapter adapter = AzureStores.adapter(env, Clock.systemUTC(), Layout.FLAT,
                AzureTestSupport.options());
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> adapter.store("azure://c/prefix").createBackup("redis"));
        assertThat(e.getMessage()).contains("azure://c/prefix").contains("cannot reach http://127.0.0.1:" + closedPort)
                .doesNotContain("\n").doesNotContain(TestServer.AZURITE_KEY);
    }

    @Test
    void aSlowStoreKeepsTheUploadBuffersBounded() throws Exception {
        TransferStats stats = new TransferStats();
        int inFlight = 2;
        AzureOptions options = new AzureOptions(TransferOptions.defaults().withPartSize(4 * 1024 * 1024)
                .withPartsInFlight(inFlight).withStats(stats));
        try (ThrottlingProxy slow = new ThrottlingProxy(AZURITE.instance().port(), 12L * 1024 * 1024)) {
            Map<String, String> env = new HashMap<>();
            env.put("AZURE_STORAGE_CONNECTION_STRING", AZURITE.instance().connectionString()
                    .replace(":" + AZURITE.instance().port() + "/", ":" + slow.port() + "/"));
            AzureStores.Connection c = AzureStores.connect(env, options);
            AzureTestSupport.ensureContainer(c, AzureTestSupport.CONTAINER);
            AzureArtifactStore store = c.store("azure://" + AzureTestSupport.CONTAINER + "/slow-" + UUID.randomUUID(),
                    Layout.FLAT, Clock.fixed(T0, ZoneOffset.UTC));
            BackupDestination backup = store.createBackup("redis");
            String sha;
            try (ArtifactOutput out = backup.openArtifact(ARTIFACT)) {
                sha = TestBytes.write(out, 40L * 1024 * 1024, 12, 64 * 1024);
            }
            assertThat(stats.peakBuffers()).as(stats.toString()).isLessThanOrEqualTo(inFlight + 1);
            assertThat(stats.peakBytes()).isLessThanOrEqualTo(options.transfer().memoryBound());
            assertThat(stats.liveBuffers()).isZero();
            assertThat(stats.partsUploaded()).isEqualTo(10);
            try (InputStream in = store.open(BbrLayout.backupName("redis", T0)).openArtifact(ARTIFACT)) {
                assertThat(TestBytes.read(in).sha256()).isEqualTo(sha);
            }
        }
    }

    static String stackText(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
