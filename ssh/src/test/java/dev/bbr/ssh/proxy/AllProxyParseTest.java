package dev.bbr.ssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.TestSshd;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllProxyParseTest {

    @TempDir
    Path tmp;

    static final HostKeyCheck TOFU = HostKeyCheck.knownHostsOrTrustOnFirstUse(Path.of("/nonexistent/known_hosts"), m -> { });

    private Path key() throws Exception {
        Path f = tmp.resolve("id");
        if (!Files.exists(f)) {
            TestSshd.exec(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f.toString()));
        }
        return f;
    }

    @Test
    void unsetOrEmptyIsDirect() {
        assertThat(AllProxy.fromEnvironment(Map.of(), TOFU).isDirect()).isTrue();
        assertThat(AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", ""), TOFU).isDirect()).isTrue();
        assertThat(AllProxy.fromEnvironment(Map.of(), TOFU).httpProxyFor("x")).isEqualTo(Proxy.NO_PROXY);
        assertThat(AllProxy.fromEnvironment(Map.of(), TOFU).tunnelSocketFactory()).isEmpty();
    }

    @Test
    void socks5GivesUnresolvedSocksProxy() {
        for (String scheme : List.of("socks5", "socks5h")) {
            AllProxy p = AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", scheme + "://proxy.example:1081"), TOFU);
            assertThat(p.isDirect()).isFalse();
            assertThat(p.isSshTunnel()).isFalse();
            assertThat(p.tunnelSocketFactory()).isEmpty();
            Proxy proxy = p.httpProxyFor("director.example");
            assertThat(proxy.type()).isEqualTo(Proxy.Type.SOCKS);
            InetSocketAddress a = (InetSocketAddress) proxy.address();
            assertThat(a.isUnresolved()).isTrue();
            assertThat(a.getHostString()).isEqualTo("proxy.example");
            assertThat(a.getPort()).isEqualTo(1081);
        }
    }

    @Test
    void socks5DefaultPortAndNoProxy() {
        AllProxy p = AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", "socks5://proxy.example",
                "no_proxy", "10.0.0.0/8,.internal"), TOFU);
        assertThat(((InetSocketAddress) p.httpProxyFor("x").address()).getPort()).isEqualTo(1080);
        assertThat(p.httpProxyFor("10.1.2.3")).isEqualTo(Proxy.NO_PROXY);
        assertThat(p.httpProxyFor("bosh.internal")).isEqualTo(Proxy.NO_PROXY);
        assertThat(p.httpProxyFor("bosh.external").type()).isEqualTo(Proxy.Type.SOCKS);
        // NO_PROXY wins over no_proxy when both are set
        AllProxy q = AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", "socks5://proxy.example",
                "NO_PROXY", "a.example", "no_proxy", "b.example"), TOFU);
        assertThat(q.httpProxyFor("a.example")).isEqualTo(Proxy.NO_PROXY);
        assertThat(q.httpProxyFor("b.example").type()).isEqualTo(Proxy.Type.SOCKS);
    }

    @Test
    void unknownSchemeUsesBbrWording() {
        assertThatThrownBy(() -> AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", "http://proxy:3128"), TOFU))
                .isInstanceOf(ProxyConfigException.class)
                .hasMessage("Parsing BOSH_ALL_PROXY url: proxy: unknown scheme: http");
    }

    @Test
    void sshSocks5RequiresPrivateKey() {
        assertThatThrownBy(() -> AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", "ssh+socks5://jumpbox@10.0.0.5:22"), TOFU))
                .isInstanceOf(ProxyConfigException.class)
                .hasMessage("Parsing BOSH_ALL_PROXY query params: Required query param 'private-key' not found");
        assertThatThrownBy(() -> AllProxy.fromEnvironment(Map.of("BOSH_ALL_PROXY", "ssh+socks5://10.0.0.5:22?private-key="), TOFU))
                .hasMessage("Parsing BOSH_ALL_PROXY query params: Required query param 'private-key' not found");
    }

    @Test
    void sshSocks5UnreadableKey() {
        assertThatThrownBy(() -> AllProxy.fromEnvironment(
                Map.of("BOSH_ALL_PROXY", "ssh+socks5://jumpbox@10.0.0.5:22?private-key=/no/such/key"), TOFU))
                .isInstanceOf(ProxyConfigException.class)
                .hasMessage("Reading private key file for SOCKS5 Proxy: open /no/such/key: no such file or directory");
    }

    @Test
    void sshSocks5UnparseableKey() throws Exception {
        Path bad = tmp.resolve("bad");
        Files.writeString(bad, "nope");
        assertThatThrownBy(() -> AllProxy.fromEnvironment(
                Map.of("BOSH_ALL_PROXY", "ssh+socks5://10.0.0.5:22?private-key=" + bad), TOFU))
                .isInstanceOf(ProxyConfigException.class)
                .hasMessageStartingWith("Reading private key file for SOCKS5 Proxy: ssh.NewConnection.ParsePrivateKey failed");
    }

    @Test
    void sshSocks5DefaultsUserToJumpboxAndIsLazy() throws Exception {
        // Nothing listens on this address: parsing must not dial.
        try (AllProxy p = AllProxy.fromEnvironment(
                Map.of("BOSH_ALL_PROXY", "ssh+socks5://10.255.255.1:2222?private-key=" + key()), TOFU)) {
            assertThat(p.isSshTunnel()).isTrue();
            assertThat(p.isDirect()).isFalse();
            assertThat(p.tunnelSocketFactory()).isPresent();
            assertThat(p.httpProxyFor("anything")).isEqualTo(Proxy.NO_PROXY);
            assertThat(p.toString()).contains("jumpbox@10.255.255.1:2222").doesNotContain("private");
        }
        try (AllProxy p = AllProxy.fromEnvironment(
                Map.of("BOSH_ALL_PROXY", "ssh+socks5://ops@jump.example:22?private-key=" + key()), TOFU)) {
            assertThat(p.toString()).contains("ops@jump.example:22");
        }
    }
}
