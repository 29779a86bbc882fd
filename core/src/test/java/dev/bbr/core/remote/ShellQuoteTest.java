package dev.bbr.core.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellQuoteTest {

    static final List<String> ODD = List.of(
            "", " ", "plain", "with space", "it's", "''", "'", "\"double\"", "$HOME", "`id`", "$(id)",
            "a\nb", "trailing\n", "back\\slash", "semi;colon && rm -rf /", "glob * ?", "tab\there",
            "ünïcødé-файл-日本", "-n", "--", "!bang", "#hash", "~tilde", "a'b'c\"d\"e");

    @Test
    void quotesSimpleCases() {
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void roundTripsOddStringsThroughRealBash() throws Exception {
        for (String s : ODD) {
            // printf %s writes the argument exactly as bash received it
            Process p = new ProcessBuilder("bash", "-c", "printf %s " + ShellQuote.quote(s)).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(out).as("round trip of %s", s).isEqualTo(s);
        }
    }

    @Test
    void quotedWordsStayOneArgument() throws Exception {
        StringBuilder cmd = new StringBuilder("printf '%s\\0'");
        for (String s : ODD) {
            cmd.append(' ').append(ShellQuote.quote(s));
        }
        Process p = new ProcessBuilder("bash", "-c", cmd.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out.split("\0", -1)).hasSize(ODD.size() + 1);
        assertThat(List.of(out.split("\0", -1)).subList(0, ODD.size())).isEqualTo(ODD);
    }

    @Test
    void quotesEveryKindOfSingleQuoteRun() {
        assertThat(ShellQuote.quote("'")).isEqualTo("''\\'''");
        assertThat(ShellQuote.quote("''")).isEqualTo("''\\'''\\'''");
        assertThat(ShellQuote.quote("a'")).isEqualTo("'a'\\'''");
        assertThat(ShellQuote.quote("$x")).isEqualTo("'$x'");
    }

    @Test
    void oddRemotePathsAreCreatedAndRemovedExactlyThroughRealBash(@TempDir Path tmp) throws Exception {
        for (String name : List.of("with space", "it's", "$(touch pwned)", "`id`", "semi;colon", "new\nline",
                "-rf", "glob*", "trailing\\")) {
            Path dir = tmp.resolve(name);
            Path sibling = Files.createDirectories(tmp.resolve("sibling of " + name.hashCode()));

            assertThat(run(withoutSudo(InstanceCommands.makeDirectory(dir.toString())))).as("mkdir %s", name).isZero();
            assertThat(dir).as(name).isDirectory();
            Files.writeString(dir.resolve("file"), "x");
            assertThat(run(withoutSudo(InstanceCommands.remove(dir.toString())))).as("rm %s", name).isZero();

            assertThat(dir).as(name).doesNotExist();
            assertThat(sibling).isDirectory();
        }
        assertThat(tmp.resolve("pwned")).as("no command substitution ran").doesNotExist();
        assertThat(Path.of("pwned")).doesNotExist();
    }

    @Test
    void aGlobInAPathIsRemovedLiterallyNotExpanded(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("a"), "a");
        Files.writeString(tmp.resolve("b"), "b");
        Files.writeString(tmp.resolve("*"), "star");

        assertThat(run(withoutSudo(InstanceCommands.remove(tmp.resolve("*").toString())))).isZero();

        assertThat(tmp.resolve("*")).doesNotExist();
        assertThat(tmp.resolve("a")).exists();
        assertThat(tmp.resolve("b")).exists();
    }

    private static String withoutSudo(String command) {
        assertThat(command).startsWith("sudo -n ");
        return command.substring("sudo -n ".length());
    }

    private static int run(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
