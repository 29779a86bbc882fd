package dev.bbr.artifacts.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.testsupport.Shell;
import dev.bbr.artifacts.testsupport.TreeBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarHashingInputStreamTest {
    @TempDir
    Path tmp;

    @Test
    void passesEveryByteThroughAndHashesOnTheWay() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("t"))
                .file("a/big", ChecksummingTarCopierTest.random(300_000, 1))
                .file("b", "b")
                .file("long/" + "x".repeat(150), "long")
                .file("empty", new byte[0]);
        Files.createLink(tree.root().resolve("hl"), tree.root().resolve("b"));
        byte[] tar = Shell.tar(tree.root());
        List<Long> progress = new ArrayList<>();

        TarHashingInputStream in = new TarHashingInputStream(new ByteArrayInputStream(tar), progress::add);
        ByteArrayOutputStream uploaded = new ByteArrayOutputStream();
        byte[] buffer = new byte[777]; // odd-sized reads, like an SSH channel window
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            uploaded.write(buffer, 0, n);
        }

        assertThat(uploaded.toByteArray()).isEqualTo(tar);
        assertThat(in.checksums().checksums()).isEqualTo(tree.expectedChecksums());
        assertThat(in.checksums().verified()).isTrue();
        assertThat(progress).last().isEqualTo((long) tar.length);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void singleByteReadsWork() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t")).file("f", "hello").root());
        TarHashingInputStream in = new TarHashingInputStream(new ByteArrayInputStream(tar));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
        }
        assertThat(out.toByteArray()).isEqualTo(tar);
        assertThat(in.checksums().checksums()).containsOnlyKeys("./f");
    }

    @Test
    void checksumsAreOnlyAvailableAtTheEnd() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t")).file("f", "hello").root());
        TarHashingInputStream in = new TarHashingInputStream(new ByteArrayInputStream(tar));
        in.read(new byte[100]);
        assertThatThrownBy(in::checksums).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Issue 17: {@code tar -x} on the instance stops reading at the end-of-archive blocks and exits,
     * leaving GNU tar's record padding unread; asking for the checksums then must not fail.
     */
    @Test
    void checksumsAreCompleteWhenTheReaderStopsAtTheEndOfArchiveMarker() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t")).file("f", "hello").file("g", "world").root());
        assertThat(tar.length).as("GNU tar pads to a 10240-byte record").isEqualTo(10240);
        // ./ header, f header + data block, g header + data block, then two zero blocks
        int endOfArchive = 5 * 512 + 1024;
        TarHashingInputStream in = new TarHashingInputStream(new ByteArrayInputStream(tar));
        byte[] sent = in.readNBytes(endOfArchive);

        assertThat(sent).isEqualTo(java.util.Arrays.copyOf(tar, endOfArchive));
        assertThatThrownBy(in::checksums).isInstanceOf(IllegalStateException.class);
        TarChecksums checksums = in.checksumsAfterReaderStopped();
        assertThat(checksums.checksums()).containsOnlyKeys("./f", "./g")
                .containsEntry("./f", Shell.sha256("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(checksums.verified()).isTrue();
        assertThat(checksums.bytesCopied()).isEqualTo(tar.length);
    }

    @Test
    void aReaderThatStopsBeforeTheEndOfArchiveIsAnErrorNotAPartialResult() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t"))
                .file("big", ChecksummingTarCopierTest.random(200_000, 3)).file("small", "s").root());
        TarHashingInputStream in = new TarHashingInputStream(new ByteArrayInputStream(tar));
        in.readNBytes(100_000);

        assertThatThrownBy(in::checksumsAfterReaderStopped)
                .isInstanceOf(TarHashingInputStream.IncompleteReadException.class)
                .hasMessage("the receiving side stopped reading after 100000 bytes, before the end of the archive");
    }

    @Test
    void checksumsAfterReaderStoppedAlsoWorksAfterAFullRead() throws Exception {
        byte[] tar = Shell.tar(new TreeBuilder(tmp.resolve("t")).file("f", "hello").root());
        TarHashingInputStream in = new TarHashingInputStream(new ByteArrayInputStream(tar));
        in.transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(in.checksumsAfterReaderStopped().checksums()).containsOnlyKeys("./f");
        assertThat(in.checksumsAfterReaderStopped().checksums()).isEqualTo(in.checksums().checksums());
    }

    /** Issue 11 (bad-input catalogue): a file below a symlink of the same archive escapes on extraction. */
    @Test
    void anEntryBelowASymlinkOfTheArchiveIsUnsafeButALinkAloneIsNot() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream out =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry link =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./etc-link",
                            org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            link.setLinkName("/etc");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            org.apache.commons.compress.archivers.tar.TarArchiveEntry current =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./current",
                            org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            current.setLinkName("releases/1");
            out.putArchiveEntry(current);
            out.closeArchiveEntry();
            byte[] evil = "x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            org.apache.commons.compress.archivers.tar.TarArchiveEntry file =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./etc-link/cron.d/evil");
            file.setSize(evil.length);
            out.putArchiveEntry(file);
            out.write(evil);
            out.closeArchiveEntry();
            org.apache.commons.compress.archivers.tar.TarArchiveEntry fine =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./current-notes");
            fine.setSize(evil.length);
            out.putArchiveEntry(fine);
            out.write(evil);
            out.closeArchiveEntry();
        }
        TarHashingInputStream in = new TarHashingInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        in.transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(in.checksums().unsafeEntries())
                .containsOnlyKeys("./etc-link/cron.d/evil")
                .containsValue("path through the symlink etc-link");
    }
}
