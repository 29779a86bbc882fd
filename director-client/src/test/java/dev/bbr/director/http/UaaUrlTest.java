package dev.bbr.director.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.director.DirectorConfigException;
import org.junit.jupiter.api.Test;

class UaaUrlTest {
    @Test
    void forcesHttpsDefaultsPortAndKeepsPath() {
        assertThat(UaaUrl.tokenEndpoint("https://10.0.0.6:8443").toString())
                .isEqualTo("https://10.0.0.6:8443/oauth/token");
        assertThat(UaaUrl.tokenEndpoint("http://uaa.example/uaa/").toString())
                .isEqualTo("https://uaa.example/uaa/oauth/token");
        assertThat(UaaUrl.tokenEndpoint("uaa.example:8443").port()).isEqualTo(8443);
        assertThat(UaaUrl.tokenEndpoint("https://[fd00::1]:8443").host()).isEqualTo("fd00::1");
    }

    @Test
    void rejectsEmptyAndHostless() {
        assertThatThrownBy(() -> UaaUrl.tokenEndpoint(""))
                .isInstanceOf(DirectorConfigException.class)
                .hasMessage("invalid UAA URL: Expected non-empty UAA URL");
        assertThatThrownBy(() -> UaaUrl.tokenEndpoint("https://:8443"))
                .hasMessage("invalid UAA URL: Expected to extract host from URL 'https://:8443'");
    }
}
