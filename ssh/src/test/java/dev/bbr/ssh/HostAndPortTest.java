package dev.bbr.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostAndPortTest {

    @Test
    void parsesTheUsualForms() {
        assertThat(HostAndPort.parse("10.0.0.1", 22)).isEqualTo(new HostAndPort("10.0.0.1", 22));
        assertThat(HostAndPort.parse("10.0.0.1:2222", 22)).isEqualTo(new HostAndPort("10.0.0.1", 2222));
        assertThat(HostAndPort.parse("director.example.com", 25555)).isEqualTo(new HostAndPort("director.example.com", 25555));
        assertThat(HostAndPort.parse("[::1]:2200", 22)).isEqualTo(new HostAndPort("::1", 2200));
        assertThat(HostAndPort.parse("[fd00::5]", 22)).isEqualTo(new HostAndPort("fd00::5", 22));
        assertThat(HostAndPort.parse("::1", 22)).isEqualTo(new HostAndPort("::1", 22));
        assertThat(HostAndPort.parse("fd00:1:2::5", 22)).isEqualTo(new HostAndPort("fd00:1:2::5", 22));
    }

    @Test
    void formatsIpv6WithBrackets() {
        assertThat(new HostAndPort("::1", 22)).hasToString("[::1]:22");
        assertThat(new HostAndPort("10.0.0.1", 22)).hasToString("10.0.0.1:22");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> HostAndPort.parse("host:abc", 22)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostAndPort.parse("host:0", 22)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostAndPort.parse("[::1", 22)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostAndPort.parse(":22", 22)).isInstanceOf(IllegalArgumentException.class);
    }
}
