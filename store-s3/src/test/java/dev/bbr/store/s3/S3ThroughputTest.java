package dev.bbr.store.s3;

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

/** Upload and download of 256 MiB to S3Proxy with the default options; printed, not asserted. */
class S3ThroughputTest {
    @RegisterExtension
    static final TestServer S3PROXY = TestServer.s3proxy();

    @Test
    void printsThroughputFor256MiB() throws Exception {
        long size = 256L * 1024 * 1024;
        Instant t0 = Instant.parse("2026-12-07T02:00:00Z");
        ArtifactId id = ArtifactId.of("redis", "0", "redis-server");
        S3Options options = S3Options.defaults();
        try (S3Stores.Connection c = S3Stores.connect(S3TestSupport.env(S3PROXY.instance().endpoint()), options)) {
            S3TestSupport.ensureBucket(c.client(), S3TestSupport.BUCKET);
            S3ArtifactStore store = c.store("s3://" + S3TestSupport.BUCKET + "/throughput-" + UUID.randomUUID(),
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
            System.out.printf("THROUGHPUT S3Proxy 256 MiB (16 MiB parts x 4, checksums when_required): upload %.1f MiB/s,"
                    + " download %.1f MiB/s%n", 256 / up, 256 / down);
            store.delete(BbrLayout.backupName("redis", t0));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
