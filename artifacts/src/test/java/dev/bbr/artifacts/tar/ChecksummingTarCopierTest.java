package dev.bbr.artifacts.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.testsupport.Shell;
import dev.bbr.artifacts.testsupport.TreeBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksummingTarCopierTest {
    private final ChecksummingTarCopier copier = new ChecksummingTarCopier();

    @TempDir
    Path tmp;

    private TarChecksums copyChecked(byte[] tar) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        TarChecksums result = copier.copy(new ByteArrayInputStream(tar), sink);
        assertThat(sink.toByteArray()).as("sink gets every byte, padding included").isEqualTo(tar);
        assertThat(result.bytesCopied()).isEqualTo(tar.length);
        return result;
    }

    @Test
    void singleFileKeyedByTarHeaderName() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("t")).file("backup", "this is a backup\n");
        byte[] tar = Shell.tar(tree.root());

        TarChecksums result = copyChecked(tar);

        assertThat(tar.length).isEqualTo(10240); // GNU tar pads to a 10 KiB record: drained into the sink
        assertThat(result.checksums()).containsExactly(
                Map.entry("./backup", "26e17765aa93724bebd8675aeaef0dc27ac7b778003a8094dffdf9b0ffe2deba"));
        assertThat(result.entryCount()).isEqualTo(2); // "./" and "./backup"
        assertThat(result.status()).isEqualTo(VerificationStatus.VERIFIED);
        assertThat(result.unhashedEntries()).isEmpty();
        assertThat(result.unsafeEntries()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--format=gnu", "--format=posix", "--format=ustar"})
    void nestedEmptyLongAndUnicodeNamesMatchFindTypeF(String format) throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("t"))
                .file("redis-server/appendonly.aof", "aof")
                .file("redis-server/dump.rdb", random(100_000, 1))
                .file("a/b/c/d/e/deep.txt", "deep")
                .file("empty", new byte[0])
                .file("exactly-512", random(512, 2))
                .file("ünïcødé-файл-日本.txt", "utf8")
                .dir("empty-dir");
        if (!format.equals("--format=ustar")) {
            tree.file("long/" + "n".repeat(120) + "/" + "f".repeat(120), "long name"); // > 100 chars: LongLink / PAX
        }

        TarChecksums result = copyChecked(Shell.tar(tree.root(), format));

        assertThat(result.checksums()).isEqualTo(tree.expectedChecksums());
        assertThat(result.verified()).isTrue();
    }

    @Test
    void hardLinkGetsItsTargetsDigestLikeFindListsBothNames() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("t")).file("weird/original", "shared content");
        Files.createLink(tree.root().resolve("second-name"), tree.root().resolve("weird/original"));

        TarChecksums result = copyChecked(Shell.tar(tree.root()));

        assertThat(result.checksums()).isEqualTo(tree.expectedChecksums()).hasSize(2);
        assertThat(result.unhashedEntries()).isEmpty();
    }

    @Test
    void symlinksAreRecordedNotHashed() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("t")).file("data", "x");
        Files.createSymbolicLink(tree.root().resolve("link"), Path.of("data"));
        Files.createSymbolicLink(tree.root().resolve("abs-link"), Path.of("/nonexistent/target"));

        TarChecksums result = copyChecked(Shell.tar(tree.root()));

        assertThat(result.checksums()).containsOnlyKeys("./data").isEqualTo(tree.expectedChecksums());
        assertThat(result.unhashedEntries()).containsOnly(
                Map.entry("./link", TarEntryKind.SYMBOLIC_LINK), Map.entry("./abs-link", TarEntryKind.SYMBOLIC_LINK));
        assertThat(result.unsafeEntries()).isEmpty();
    }

    @Test
    void fifoIsRecordedAsUnsafe() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("t")).file("data", "x");
        Shell.run(List.of("mkfifo", tree.root().resolve("pipe").toString()));

        TarChecksums result = copyChecked(Shell.tar(tree.root()));

        assertThat(result.unhashedEntries()).containsExactly(Map.entry("./pipe", TarEntryKind.FIFO));
        assertThat(result.unsafeEntries()).containsExactly(Map.entry("./pipe", "fifo"));
    }

    @Test
    void reportsProgressMonotonicallyUpToTheTotal() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("t")).file("big", random(1_000_000, 3));
        byte[] tar = Shell.tar(tree.root());
        List<Long> seen = new ArrayList<>();

        copier.copy(new ByteArrayInputStream(tar), OutputStream.nullOutputStream(), seen::add);

        assertThat(seen).isSortedAccordingTo(Long::compare).last().isEqualTo((long) tar.length);
    }

    @Test
    void tricklingSourceStillCopiesEverything() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("t")).file("a", random(70_000, 4)).file("b", "b");
        byte[] tar = Shell.tar(tree.root());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        TarChecksums result = copier.copy(new Trickle(new ByteArrayInputStream(tar), 7), sink);

        assertThat(sink.toByteArray()).isEqualTo(tar);
        assertThat(result.checksums()).isEqualTo(tree.expectedChecksums());
    }

    @Test
    void streamsSixtyFourMebibytesWithFlatMemory() throws Exception {
        // Generated, never held in memory as a whole: tar of a 64 MiB file piped straight from GNU tar.
        Path dir = Files.createDirectories(tmp.resolve("t"));
        Shell.run(List.of("truncate", "-s", "64M", dir.resolve("zeros").toString()));
        Shell.bash("head -c 3000000 /dev/urandom > '" + dir.resolve("random") + "'");
        Process tar = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", "-", ".").start();
        CountingSink sink = new CountingSink();

        TarChecksums result;
        try (InputStream in = tar.getInputStream()) {
            result = copier.copy(in, sink);
        }

        assertThat(tar.waitFor()).isZero();
        assertThat(result.checksums()).isEqualTo(new TreeBuilder(dir).expectedChecksums());
        assertThat(sink.count).isEqualTo(result.bytesCopied()).isGreaterThan(64L * 1024 * 1024).matches(n -> n % 10240 == 0);
    }

    @Test
    void truncatedStreamIsMalformedButEveryByteIsCopied() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t")).file("a", random(5000, 5)).root());
        byte[] truncated = Arrays.copyOf(tar, 3000);

        TarChecksums result = copyChecked(truncated);

        assertThat(result.status()).isEqualTo(VerificationStatus.MALFORMED);
        assertThat(result.statusDetail()).hasValueSatisfying(d -> assertThat(d).contains("not a complete tar archive"));
    }

    @Test
    void truncatedAtAnEntryBoundaryIsMalformedToo() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t")).file("a", random(512, 6)).root());
        // "./" header, "./a" header, 512 bytes of data: cut right after the data, before the end marker
        assertThat(copyChecked(Arrays.copyOf(tar, 1536)).status()).isEqualTo(VerificationStatus.MALFORMED);
    }

    @Test
    void garbageIsMalformed() throws Exception {
        assertThat(copyChecked(random(4096, 7)).status()).isEqualTo(VerificationStatus.MALFORMED);
        assertThat(copyChecked(new byte[0]).status()).isEqualTo(VerificationStatus.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--format=gnu", "--format=posix"})
    void hugeSparseFileIsVerificationUnavailableNotCorruptAndBytesAreKept(String format) throws Exception {
        // commons-compress 1.28 cannot parse the sparse map of a > 8 GiB sparse file.
        Path dir = Files.createDirectories(tmp.resolve("t"));
        Files.writeString(dir.resolve("before"), "before");
        Shell.bash("printf data | dd of='" + dir.resolve("sparse") + "' bs=1 seek=9663676416 conv=notrunc status=none");
        byte[] tar = Shell.tar(dir, format, "--sparse");

        TarChecksums result = copyChecked(tar);

        assertThat(result.status()).isEqualTo(VerificationStatus.UNAVAILABLE);
        assertThat(result.statusDetail()).hasValueSatisfying(d -> assertThat(d).startsWith("tar parser could not read"));
    }

    @Test
    void moderateSparseFileIsExpandedAndHashedLikeTheVmSees() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("t"));
        Shell.bash("printf data | dd of='" + dir.resolve("sparse") + "' bs=1 seek=20000000 conv=notrunc status=none");

        TarChecksums result = copyChecked(Shell.tar(dir, "--sparse"));

        assertThat(result.verified()).isTrue();
        assertThat(result.checksums()).isEqualTo(new TreeBuilder(dir).expectedChecksums());
    }

    @Test
    void sourceFailurePropagates() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t")).file("a", random(200_000, 8)).root());
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(tar)) {
            private int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++reads > 2) {
                    throw new IOException("connection reset");
                }
                return super.read(b, off, Math.min(len, 1024));
            }
        };

        assertThatThrownBy(() -> copier.copy(failing, OutputStream.nullOutputStream())).hasMessage("connection reset");
    }

    @Test
    void sinkFailurePropagates() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t")).file("a", random(200_000, 9)).root());
        OutputStream diskFull = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };

        assertThatThrownBy(() -> copier.copy(new ByteArrayInputStream(tar), diskFull)).hasMessage("No space left on device");
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Returns at most {@code max} bytes per read, like a slow network. */
    static final class Trickle extends FilterInputStream {
        private final int max;

        Trickle(InputStream in, int max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, max));
        }
    }

    static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
