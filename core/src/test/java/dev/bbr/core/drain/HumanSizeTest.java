package dev.bbr.core.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HumanSizeTest {
    @TempDir
    Path tmp;

    /** Issue 10 item 8: the restore line shows what {@code du -sh} shows for the artifact file. */
    @ParameterizedTest
    @ValueSource(longs = {1, 512, 4096, 4097, 10240, 65536, 70000, 1_572_864, 1_600_000, 10_485_760, 123_456_789})
    void diskUsageMatchesDuDashSh(long bytes) throws Exception {
        Path file = tmp.resolve("f" + bytes);
        try (var out = Files.newOutputStream(file)) {
            byte[] chunk = new byte[8192];
            java.util.Arrays.fill(chunk, (byte) 7); // not sparse: real blocks, as a tar is
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        Process du = new ProcessBuilder("du", "-sh", file.toString()).start();
        String expected = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")[0];
        assertThat(du.waitFor()).isZero();

        assertThat(HumanSize.ofDiskUsage(bytes)).isEqualTo(expected);
    }
}
