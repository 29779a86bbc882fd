package dev.bbr.artifacts.codec;

import static dev.bbr.artifacts.codec.TestAgeKeys.ALICE;
import static dev.bbr.artifacts.codec.TestAgeKeys.ESCROW;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optional measurement, not run by default:
 * {@code ./mvnw -o -B -pl artifacts test -Dtest=CodecThroughputPerfTest -Dbbr.perf=true}.
 * 256 MiB of half random, half repetitive content, file to file (page cache), three rounds per codec;
 * MiB/s are of plaintext; decode is timed into a null sink, then checked untimed against the
 * plaintext's SHA-256. Prints, asserts only that the round trip is exact.
 */
@EnabledIfSystemProperty(named = "bbr.perf", matches = "true")
class CodecThroughputPerfTest {
    private static final long SIZE = 256L << 20;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    void encodeAndDecodeThroughput() throws Exception {
        Path plain = TestData.file(dir.resolve("plain.tar"), SIZE, 1);
        String expected = TestData.sha256(plain);
        AgeRecipients both = AgeRecipients.parse(ALICE.publicKey(), ESCROW.publicKey());
        List<ArtifactCodec> codecs = List.of(
                ArtifactCodec.of(Compression.zstd(3), both),
                ArtifactCodec.of(Compression.zstd(3), AgeRecipients.none()),
                ArtifactCodec.of(Compression.NONE, both),
                ArtifactCodec.of(Compression.GZIP, AgeRecipients.none()));
        System.out.printf(Locale.ROOT, "codec throughput, %d MiB plaintext, Java %s, %d cores%n",
                SIZE >> 20, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        for (ArtifactCodec codec : codecs) {
            Path artifact = dir.resolve("a.tar" + codec.suffix());
            for (int round = 1; round <= ROUNDS; round++) {
                Files.deleteIfExists(artifact);
                long t0 = System.nanoTime();
                try (InputStream in = Files.newInputStream(plain); OutputStream out = codec.encode(Files.newOutputStream(artifact))) {
                    in.transferTo(out);
                }
                long t1 = System.nanoTime();
                try (InputStream in = codec.decode(Files.newInputStream(artifact), ALICE.identities())) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                long t2 = System.nanoTime();
                System.out.printf(Locale.ROOT, "%-28s round %d: encode %6.0f MiB/s, decode %6.0f MiB/s, ratio %.2f%n",
                        codec, round, mibPerSecond(t1 - t0), mibPerSecond(t2 - t1), (double) SIZE / Files.size(artifact));
            }
            assertThat(TestData.sha256(codec.decode(Files.newInputStream(artifact), ALICE.identities()))).isEqualTo(expected);
        }
        long t0 = System.nanoTime();
        try (InputStream in = Files.newInputStream(plain)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        System.out.printf(Locale.ROOT, "%-28s          reading the plain file alone %6.0f MiB/s%n", "(baseline)", mibPerSecond(System.nanoTime() - t0));
    }

    private static double mibPerSecond(long nanos) {
        return (SIZE / (1024.0 * 1024.0)) / (nanos / 1e9);
    }
}
