package dev.bbr.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.store.testkit.TestBytes;
import dev.bbr.store.testkit.TestServer;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Upload and download of 256 MiB to Azurite with the default options; printed, not asserted. */
class AzureThroughputTest {
    @RegisterExtension
    static final TestServer AZURITE = TestServer.azurite();

    @Test
    void printsThroughputFor256MiB() throws Exception {
        long size = 256L * 1024 * 1024;
        Instant t0 = Instant.parse("2026-12-07T02:00:00Z");
        ArtifactId id = ArtifactId.of("redis", "0", "redis-server");
        AzureOptions options = AzureOptions.defaults();
        { AzureStores.Connection c = AzureStores.connect(AzureTestSupport.env(AZURITE.instance()), options);
            AzureTestSupport.ensureContainer(c, AzureTestSupport.CONTAINER);
            AzureArtifactStore store = c.store("azure://" + AzureTestSupport.CONTAINER + "/throughput-" + UUID.randomUUID(),
                    Layout.FLAT, Clock.fixed(t0, ZoneOffset.UTC));
            BackupDestination backup = store.createBackup("redis");
            long start = System.nanoTime();
            String sha;
            try (ArtifactOutput out = backup.openArtifact(id)) {
                sha = TestBytes.write(out, size, 21, 1024 * 1024);
            }
            double up = seconds(start);
            start = System.nanoTime();
            TestBytes.Digest read;
            try (InputStream in = store.open(BbrLayout.backupName("redis", t0)).openArtifact(id)) {
                read = TestBytes.read(in);
            }
            double down = seconds(start);
            assertThat(read.sha256()).isEqualTo(sha);
            System.out.printf("THROUGHPUT Azurite 256 MiB (16 MiB blocks x 4): upload %.1f MiB/s,"
                    + " download %.1f MiB/s%n", 256 / up, 256 / down);
            store.delete(BbrLayout.backupName("redis", t0));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
