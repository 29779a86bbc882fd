package dev.bbr.artifacts.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CompressionTest {

    @ParameterizedTest
    @CsvSource({
        "none,   none,    ''",
        "gzip,   gzip,    .gz",
        "zstd,   zstd:3,  .zst",
        "zstd:1, zstd:1,  .zst",
        "zstd:9, zstd:9,  .zst",
        "zstd:19, zstd:19, .zst",
        "zstd:03, zstd:3, .zst",
    })
    void parsesEveryAcceptedFormAndNamesItForTheRecord(String value, String name, String suffix) {
        Compression compression = Compression.parse(value);

        assertThat(compression.name()).isEqualTo(name);
        assertThat(compression.suffix()).isEqualTo(suffix);
        assertThat(Compression.parse(compression.name())).isEqualTo(compression);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ZSTD", "zstd:0", "zstd:20", "zstd:", "zstd:abc", "zstd:+3", "zstd:-1", "zstd:3x",
        "zstd:100", "lz4", "gzip:6", " zstd", "xz", "zstd:٣"})
    void refusesAnythingElseInOneLineNamingTheValueAndTheAcceptedForms(String value) {
        assertThatThrownBy(() -> Compression.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid compression '" + value + "': expected none, gzip, zstd or zstd:LEVEL with LEVEL 1..19");
    }

    @Test
    void zstdFactoryChecksTheLevelToo() {
        assertThat(Compression.zstd(7).name()).isEqualTo("zstd:7");
        assertThatThrownBy(() -> Compression.zstd(0)).hasMessageContaining("'zstd:0'");
        assertThatThrownBy(() -> Compression.zstd(22)).hasMessageContaining("'zstd:22'");
    }

    @Test
    void noneIsTheIdentityOnBothSides() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(new byte[3]);

        assertThat(Compression.NONE.compress(out)).isSameAs(out);
        assertThat(Compression.NONE.decompress(in)).isSameAs(in);
        assertThat(Compression.NONE.isNone()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd:1", "zstd:3", "zstd:19"})
    void roundTripsAndShrinksCompressibleData(String value) throws Exception {
        Compression compression = Compression.parse(value);
        byte[] plain = TestData.bytes(1 << 20, 11);

        byte[] compressed = compress(compression, plain);

        assertThat(compressed.length).isLessThan(plain.length * 3 / 5); // half the blocks are repetitive text
        assertThat(compression.decompress(new ByteArrayInputStream(compressed)).readAllBytes()).isEqualTo(plain);
    }

    @Test
    void theZstdLevelReachesTheCompressor() throws Exception {
        byte[] text = new byte[4 << 20];
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + random.nextInt(4)); // compressible, but rewards a harder search
        }

        int fast = compress(Compression.zstd(1), text).length;
        int strong = compress(Compression.zstd(19), text).length;

        assertThat(strong).isLessThan(fast);
    }

    @Test
    void zstdFramesCarryAChecksumSoDamageIsDetected() throws Exception {
        byte[] compressed = compress(Compression.zstd(3), new byte[100_000]); // all zeros: a tiny frame
        byte[] damaged = compressed.clone();
        damaged[damaged.length - 2] ^= 0x01; // inside the trailing content checksum

        assertThatThrownBy(() -> Compression.zstd(3).decompress(new ByteArrayInputStream(damaged)).readAllBytes())
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void zstdRefusesAnEmptySourceInsteadOfReadingItAsEmptyContent() throws Exception {
        byte[] emptyContent = compress(Compression.zstd(3), new byte[0]);

        assertThat(Compression.zstd(3).decompress(new ByteArrayInputStream(emptyContent)).readAllBytes()).isEmpty();
        assertThatThrownBy(() -> Compression.zstd(3).decompress(new ByteArrayInputStream(new byte[0])).read())
                .isInstanceOf(java.io.EOFException.class)
                .hasMessageContaining("no zstd frame");
    }

    private static byte[] compress(Compression compression, byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = compression.compress(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }
}
