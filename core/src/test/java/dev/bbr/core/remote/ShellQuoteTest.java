package dev.bbr.core.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
