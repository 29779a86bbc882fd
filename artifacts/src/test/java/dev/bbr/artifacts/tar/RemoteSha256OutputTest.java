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
                .isEqualTo("cd '/var/vcap/store/bbr-backup/redis' && find . -type f -print0 | xargs -0 -r sha256sum -z");
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
        Map<String, String> remote = RemoteSha256Output.parseNulSeparated(remoteOutput);
        TarChecksums local = new ChecksummingTarCopier()
                .copy(new ByteArrayInputStream(Shell.tar(tree.root())), OutputStream.nullOutputStream());

        assertThat(remote).hasSize(NASTY_NAMES.size() + 2).isEqualTo(tree.expectedChecksums());
        assertThat(ChecksumComparison.compare(local.checksums(), remote).matches()).isTrue();
    }

    @Test
    void emptyDirectoryGivesEmptyOutput() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        byte[] output = Shell.bash(RemoteSha256Output.command(singleQuoted(dir.toString())));

        assertThat(output).isEmpty();
        assertThat(RemoteSha256Output.parseNulSeparated(output)).isEmpty();
    }

    @Test
    void acceptsBinaryModeMarker() {
        String hex = "a".repeat(64);
        byte[] output = (hex + " *./x\0" + hex + "  ./y z\0").getBytes(StandardCharsets.UTF_8);
        assertThat(RemoteSha256Output.parseNulSeparated(output)).containsExactly(Map.entry("./x", hex), Map.entry("./y z", hex));
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
}
