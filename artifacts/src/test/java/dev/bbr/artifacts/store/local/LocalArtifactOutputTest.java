package dev.bbr.artifacts.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactOutputTest {
    @TempDir
    Path dir;

    /** Crosses the write-behind threshold several times, with odd chunk sizes and single bytes. */
    @Test
    void writeBehindSyncKeepsEveryByteInOrder() throws Exception {
        long total = 2 * LocalArtifactOutput.SYNC_EVERY + 12_345;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        Random random = new Random(7);
        byte[] chunk = new byte[100_003];
        try (LocalArtifactOutput out = LocalArtifactOutput.create(dir, "a.tar")) {
            long written = 0;
            while (written < total) {
                int n = (int) Math.min(chunk.length - random.nextInt(3) * 50_000, total - written);
                random.nextBytes(chunk);
                out.write(chunk, 0, n);
                sent.update(chunk, 0, n);
                written += n;
                out.write(0x5a);
                sent.update((byte) 0x5a);
                written++;
            }
            assertThat(out.bytesWritten()).isEqualTo(written);
        }
        assertThat(dir.resolve(".a.tar.partial")).doesNotExist();
        MessageDigest stored = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(dir.resolve("a.tar"))) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                stored.update(buf, 0, n);
            }
        }
        assertThat(stored.digest()).isEqualTo(sent.digest());
    }

    @Test
    void abortAfterWriteBehindLeavesNothing() throws Exception {
        LocalArtifactOutput out = LocalArtifactOutput.create(dir, "b.tar");
        byte[] chunk = new byte[1 << 20];
        for (long i = 0; i <= LocalArtifactOutput.SYNC_EVERY / chunk.length; i++) {
            out.write(chunk, 0, chunk.length);
        }
        out.abort();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
