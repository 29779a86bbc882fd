package dev.bbr.ssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoProxyListTest {

    @Test
    void emptyMatchesNothing() {
        assertThat(new NoProxyList(null).matches("a")).isFalse();
        assertThat(new NoProxyList(" , ").matches("a")).isFalse();
    }

    @Test
    void starMatchesEverything() {
        assertThat(new NoProxyList("foo,*").matches("10.0.0.1")).isTrue();
    }

    @Test
    void exactHostsAndDomains() {
        NoProxyList l = new NoProxyList("director.internal, .corp.example, example.org, 10.0.0.6, [fd00::1], uaa:8443");
        assertThat(l.matches("director.internal")).isTrue();
        assertThat(l.matches("DIRECTOR.internal")).isTrue();
        assertThat(l.matches("x.director.internal")).isTrue();
        assertThat(l.matches("notdirector.internal")).isFalse();
        assertThat(l.matches("a.corp.example")).isTrue();
        assertThat(l.matches("corp.example")).isTrue();
        assertThat(l.matches("xcorp.example")).isFalse();
        assertThat(l.matches("example.org")).isTrue();
        assertThat(l.matches("www.example.org")).isTrue();
        assertThat(l.matches("10.0.0.6")).isTrue();
        assertThat(l.matches("10.0.0.7")).isFalse();
        assertThat(l.matches("fd00::1")).isTrue();
        assertThat(l.matches("uaa")).isTrue();
    }

    @Test
    void cidrRangesMatchIpLiteralsOnly() {
        NoProxyList l = new NoProxyList("10.0.0.0/8,192.168.1.0/24,fd00::/16");
        assertThat(l.matches("10.200.3.4")).isTrue();
        assertThat(l.matches("11.0.0.1")).isFalse();
        assertThat(l.matches("192.168.1.77")).isTrue();
        assertThat(l.matches("192.168.2.1")).isFalse();
        assertThat(l.matches("fd00:abcd::5")).isTrue();
        assertThat(l.matches("fe80::1")).isFalse();
        assertThat(l.matches("ten.example")).isFalse();
    }
}
