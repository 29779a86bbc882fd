package dev.bbr.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DirectorTargetTest {

    @ParameterizedTest
    @CsvSource({
        "https://10.0.0.6,            10.0.0.6,     25555, https://10.0.0.6:25555",
        "10.0.0.6,                    10.0.0.6,     25555, https://10.0.0.6:25555",
        "10.0.0.6:25555,              10.0.0.6,     25555, https://10.0.0.6:25555",
        "https://director.example:4443, director.example, 4443, https://director.example:4443",
        "http://director.example,     director.example, 25555, https://director.example:25555",
        "director.example:4443,       director.example, 4443, https://director.example:4443",
        "https://[::1]:25555,         ::1,          25555, https://[::1]:25555",
        "[fd00::6]:4443,              fd00::6,      4443,  https://[fd00::6]:4443",
        "https://10.0.0.6:25555/some/path?x=1, 10.0.0.6, 25555, https://10.0.0.6:25555",
    })
    void acceptsBoshCliForms(String input, String host, int port, String base) {
        DirectorTarget target = DirectorTarget.parse(input);
        assertThat(target.host()).isEqualTo(host);
        assertThat(target.port()).isEqualTo(port);
        assertThat(target.baseUrl()).hasToString(base);
    }

    @Test
    void missingHostHasBoshCliMessage() {
        assertThatThrownBy(() -> DirectorTarget.parse("https://:25555"))
                .isInstanceOf(DirectorConfigException.class)
                .hasMessage("invalid bosh URL - Expected to extract host from URL 'https://:25555'");
    }

    @Test
    void emptyIsRejected() {
        assertThatThrownBy(() -> DirectorTarget.parse(""))
                .isInstanceOf(DirectorConfigException.class)
                .hasMessageContaining("Expected non-empty Director URL");
        assertThatThrownBy(() -> DirectorTarget.parse(null))
                .hasMessageContaining("Expected non-empty Director URL");
    }

    @ParameterizedTest
    @CsvSource({"https://host:abc", "host:", "https://host:99999", "https://[::1]x", "a:b:c"})
    void badPortsAndAddressesAreInvalidBoshUrls(String input) {
        assertThatThrownBy(() -> DirectorTarget.parse(input))
                .isInstanceOf(DirectorConfigException.class)
                .hasMessageStartingWith("invalid bosh URL - ");
    }

    @Test
    void invalidHostCharactersAreRejected() {
        assertThatThrownBy(() -> DirectorTarget.parse("https://bad host:25555"))
                .hasMessageStartingWith("invalid bosh URL - ");
    }
}
