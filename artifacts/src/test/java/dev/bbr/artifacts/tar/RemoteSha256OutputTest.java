package dev.bbr.artifacts.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.testsupport.Shell;
import dev.bbr.artifacts.testsupport.TreeBuilder;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteSha256OutputTest {
    static final List<String> NASTY_NAMES = List.of(
            "plain", "with space", "trailing space ", " leading space", "single'quote", "double\"quote",
            "new\nline", "back\\slash", "tab\there", "-rf", "*glob?", "$(echo pwned)", "ünïcødé-файл-日本.txt",
            "emoji-😀", "carriage\rreturn", "dir with space/nested\nnewline/file");

    @TempDir
    Path tmp;

    @Test
    void buildsTheNulSafeCommand() {
        assertThat(RemoteSha256Output.command("'/var/vcap/store/bbr-backup/redis'"))
                .startsWith("cd '/var/vcap/store/bbr-backup/redis' && if command -v openssl")
                .contains("xargs -0 -r openssl dgst -sha256 -r")
                .endsWith("else printf '\\0' && find . -type f -print0 | xargs -0 -r sha256sum -z; fi");
    }

    @Test
    void withoutOpensslEveryFileGoesThroughSha256sumWithTheSameResult() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("no openssl"));
        for (int i = 0; i < NASTY_NAMES.size(); i++) {
            tree.file(NASTY_NAMES.get(i), "content " + i);
        }
        String dir = singleQuoted(tree.root().toString());
        byte[] with = Shell.bash(RemoteSha256Output.command(dir));
        // a shell function shadows the builtin: `command -v openssl` then finds nothing
        byte[] without = Shell.bash("command() { return 1; }; " + RemoteSha256Output.command(dir));

        assertThat(without[0]).as("empty openssl part").isZero();
        assertThat(with[0]).as("openssl hashed the plain names").isNotZero();
        assertThat(RemoteSha256Output.parse(without)).isEqualTo(RemoteSha256Output.parse(with))
                .isEqualTo(tree.expectedChecksums());
    }

    @Test
    void remoteCommandAndTarCopierAgreeExactlyOnNastyNames() throws Exception {
        TreeBuilder tree = new TreeBuilder(tmp.resolve("backup dir"));
        for (int i = 0; i < NASTY_NAMES.size(); i++) {
            tree.file(NASTY_NAMES.get(i), "content " + i);
        }
        tree.file("empty", new byte[0]);
        Files.createLink(tree.root().resolve("hard link"), tree.root().resolve("plain"));

        byte[] remoteOutput = Shell.bash(RemoteSha256Output.command(singleQuoted(tree.root().toString())));
        Map<String, String> remote = RemoteSha256Output.parse(remoteOutput);
        TarChecksums local = new ChecksummingTarCopier()
                .copy(new ByteArrayInputStream(Shell.tar(tree.root())), OutputStream.nullOutputStream());

        assertThat(remote).hasSize(NASTY_NAMES.size() + 2).isEqualTo(tree.expectedChecksums());
        assertThat(ChecksumComparison.compare(local.checksums(), remote).matches()).isTrue();
    }

    @Test
    void emptyDirectoryGivesEmptyOutput() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        byte[] output = Shell.bash(RemoteSha256Output.command(singleQuoted(dir.toString())));

        assertThat(output).containsExactly(0);
        assertThat(RemoteSha256Output.parse(output)).isEmpty();
    }

    @Test
    void acceptsBinaryModeMarker() {
        String hex = "a".repeat(64);
        byte[] output = (hex + " *./x\0" + hex + "  ./y z\0").getBytes(StandardCharsets.UTF_8);
        assertThat(RemoteSha256Output.parseNulSeparated(output)).containsExactly(Map.entry("./x", hex), Map.entry("./y z", hex));
    }

    @Test
    void parsesOpensslLinesThenSha256sumRecords() {
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        byte[] output = (a + " *./x\n" + a + " *./y z\n\0" + b + "  ./new\nline\0").getBytes(StandardCharsets.UTF_8);
        assertThat(RemoteSha256Output.parse(output)).containsExactly(Map.entry("./x", a), Map.entry("./y z", a),
                Map.entry("./new\nline", b));
        assertThatThrownBy(() -> RemoteSha256Output.parse((a + " *./x\n").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no NUL separator");
        assertThatThrownBy(() -> RemoteSha256Output.parse((a + " *./x\0").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("does not end with a newline");
    }

    @Test
    void rejectsOutputThatIsNotSha256sumZ() {
        String hex = "a".repeat(64);
        assertThatThrownBy(() -> RemoteSha256Output.parseNulSeparated((hex + "  ./x\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not end with NUL");
        assertThatThrownBy(() -> RemoteSha256Output.parseNulSeparated("short\0".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unexpected sha256sum record");
        assertThatThrownBy(() -> RemoteSha256Output.parseNulSeparated((hex + "  \0").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unexpected sha256sum record");
        assertThatThrownBy(() -> RemoteSha256Output.parseNulSeparated(("G".repeat(64) + "  ./x\0").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unexpected sha256sum digest");
    }

    static String singleQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Issue 11 (A05): a Latin-1 name must be keyed the same on both sides, or the backup is "corrupted". */
    @Test
    void aNameThatIsNotUtf8IsKeyedAsTheTarParserKeysIt() throws Exception {
        byte[] name = {'.', '/', 'c', 'a', 'f', (byte) 0xe9};
        java.io.ByteArrayOutputStream tarBytes = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream out =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tarBytes, "ISO-8859-1")) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                    new org.apache.commons.compress.archivers.tar.TarArchiveEntry(new String(name,
                            StandardCharsets.ISO_8859_1));
            e.setSize(1);
            out.putArchiveEntry(e);
            out.write('x');
            out.closeArchiveEntry();
        }
        TarHashingInputStream local = new TarHashingInputStream(new ByteArrayInputStream(tarBytes.toByteArray()));
        local.transferTo(OutputStream.nullOutputStream());
        String digest = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";
        java.io.ByteArrayOutputStream remote = new java.io.ByteArrayOutputStream();
        remote.write(0);
        remote.write((digest + "  ").getBytes(StandardCharsets.US_ASCII));
        remote.write(name);
        remote.write(0);

        assertThat(RemoteSha256Output.parse(remote.toByteArray())).isEqualTo(local.checksums().checksums())
                .containsOnlyKeys("./caf?");
    }
}
