package dev.bbr.artifacts.codec;

import static dev.bbr.artifacts.codec.TestAgeKeys.ALICE;
import static dev.bbr.artifacts.codec.TestAgeKeys.ESCROW;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 64 MiB of mixed random and repetitive content through encode and decode, file to file, as a backup
 * and a restore would do it: many age chunks and zstd blocks, and a size at which buffering the whole
 * artifact would show in the heap (surefire's JVM default is a quarter of RAM, so this proves
 * correctness at size; {@link ArtifactCodecTest} asserts the bounded hold-back directly).
 */
class ArtifactCodecLargeRoundTripTest {
    private static final long SIZE = 64L << 20;

    @TempDir
    Path dir;

    static Stream<Arguments> codecs() {
        AgeRecipients both = AgeRecipients.parse(ALICE.publicKey(), ESCROW.publicKey());
        return Stream.of(
                Arguments.of(ArtifactCodec.of(Compression.zstd(3), both)),
                Arguments.of(ArtifactCodec.of(Compression.GZIP, both)),
                Arguments.of(ArtifactCodec.of(Compression.NONE, both)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void sixtyFourMebibytesRoundTripExactly(ArtifactCodec codec) throws Exception {
        Path artifact = dir.resolve("artifact.tar" + codec.suffix());
        try (InputStream plain = TestData.stream(SIZE, 99); OutputStream out = codec.encode(Files.newOutputStream(artifact))) {
            plain.transferTo(out);
        }

        String decoded = TestData.sha256(codec.decode(Files.newInputStream(artifact), ESCROW.identities()));

        assertThat(decoded).isEqualTo(TestData.sha256(TestData.stream(SIZE, 99)));
        if (!codec.compression().isNone()) {
            assertThat(Files.size(artifact)).isLessThan(SIZE * 3 / 5);
        }
    }
}
