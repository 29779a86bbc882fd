package dev.bbr.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.ssh.proxy.AllProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeyCheckTest {

    @TempDir
    static Path tmp;
    static TestSshd sshd;
    static SshKey key;
    static SshTransport transport = SshTransport.create(AllProxy.direct());

    @BeforeAll
    static void start() throws Exception {
        sshd = TestSshd.start(tmp.resolve("sshd"));
        key = SshKey.generateRsa2048();
        sshd.authorize(key.authorizedKeysLine());
    }

    @AfterAll
    static void stop() throws Exception {
        sshd.close();
    }

    private InstanceConnection connect(HostKeyCheck check) throws SshException {
        return transport.connect(ConnectionSpec.of("127.0.0.1", sshd.port, "root", key, check));
    }

    private static String fingerprintOf(String pubLine) {
        return PublicKeys.fingerprint(PublicKeys.parseAuthorizedKey(pubLine));
    }

    @Test
    void pinnedRsaKeyIsAcceptedAlthoughServerAlsoHasEd25519AndEcdsa() throws Exception {
        // Server holds rsa, ed25519 and ecdsa host keys; sshj would prefer ed25519 unrestricted.
        try (InstanceConnection c = connect(HostKeyCheck.pinned(sshd.hostPublicKey("rsa")))) {
            assertThat(c.run("echo ok").stdoutText()).isEqualTo("ok\n");
        }
        assertThat(HostKeyCheck.pinned(sshd.hostPublicKey("rsa")).allowedHostKeyAlgorithms())
                .containsExactly("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
    }

    @Test
    void withoutPinningTheServerWouldPresentAnotherKeyType() throws Exception {
        List<String> tofu = new CopyOnWriteArrayList<>();
        try (InstanceConnection c = connect(HostKeyCheck.knownHostsOrTrustOnFirstUse(tmp.resolve("none"), tofu::add))) {
            c.run("true");
        }
        // proves the pinned test above is meaningful: unrestricted, the server does not use its RSA key
        assertThat(tofu).hasSize(1);
        assertThat(tofu.get(0)).doesNotContain(fingerprintOf(sshd.hostPublicKey("rsa")));
    }

    @Test
    void pinnedEd25519KeyWorksToo() throws Exception {
        try (InstanceConnection c = connect(HostKeyCheck.pinned(sshd.hostPublicKey("ed25519")))) {
            assertThat(c.run("echo ok").exitCode()).isZero();
        }
    }

    @Test
    void differentPinnedKeyIsRejected() throws Exception {
        String other = SshKey.generateRsa2048().authorizedKeysLine();
        assertThatThrownBy(() -> connect(HostKeyCheck.pinned(other)))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("ssh.Dial failed: ")
                .hasMessageContaining("Host key verification failed for 127.0.0.1:" + sshd.port)
                .hasMessageContaining(fingerprintOf(other))
                .hasMessageContaining(fingerprintOf(sshd.hostPublicKey("rsa")));
    }

    @Test
    void pinnedRejectsGarbage() {
        assertThatThrownBy(() -> HostKeyCheck.pinned("ssh-rsa not-base64!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("parsing public key");
        assertThatThrownBy(() -> HostKeyCheck.pinned(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void knownHostsListedAndMatchingIsAccepted() throws Exception {
        Path kh = tmp.resolve("kh-match");
        Files.writeString(kh, "[127.0.0.1]:" + sshd.port + " " + sshd.hostPublicKey("ed25519"));
        List<String> tofu = new CopyOnWriteArrayList<>();
        try (InstanceConnection c = connect(HostKeyCheck.knownHostsOrTrustOnFirstUse(kh, tofu::add))) {
            assertThat(c.run("echo hi").stdoutText()).isEqualTo("hi\n");
        }
        assertThat(tofu).isEmpty();
    }

    @Test
    void knownHostsListedWithRsaMakesServerPresentRsa() throws Exception {
        Path kh = tmp.resolve("kh-rsa");
        Files.writeString(kh, "[127.0.0.1]:" + sshd.port + " " + sshd.hostPublicKey("rsa"));
        try (InstanceConnection c = connect(HostKeyCheck.knownHostsOrTrustOnFirstUse(kh, m -> { }))) {
            assertThat(c.run("true").exitCode()).isZero();
        }
    }

    @Test
    void knownHostsHashedEntryIsHonoured() throws Exception {
        Path kh = tmp.resolve("kh-hashed");
        Files.writeString(kh, "[127.0.0.1]:" + sshd.port + " " + sshd.hostPublicKey("ed25519"));
        TestSshd.exec(List.of("ssh-keygen", "-H", "-f", kh.toString()));
        assertThat(Files.readString(kh)).startsWith("|1|");
        List<String> tofu = new CopyOnWriteArrayList<>();
        try (InstanceConnection c = connect(HostKeyCheck.knownHostsOrTrustOnFirstUse(kh, tofu::add))) {
            c.run("true");
        }
        assertThat(tofu).isEmpty();
    }

    @Test
    void knownHostsListedWithDifferentKeyIsRefused() throws Exception {
        Path kh = tmp.resolve("kh-stale");
        String stale = SshKey.generateRsa2048().authorizedKeysLine();
        Files.writeString(kh, "# comment\n[127.0.0.1]:" + sshd.port + " " + stale);
        List<String> tofu = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> connect(HostKeyCheck.knownHostsOrTrustOnFirstUse(kh, tofu::add)))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("Host key verification failed for 127.0.0.1:" + sshd.port)
                .hasMessageContaining(fingerprintOf(stale))
                .hasMessageContaining("remove the stale line")
                .hasMessageContaining(kh.toString());
        assertThat(tofu).isEmpty();
    }

    @Test
    void unlistedHostIsTrustedOnFirstUseWithSha256Fingerprint() throws Exception {
        Path kh = tmp.resolve("kh-other");
        Files.writeString(kh, "10.1.2.3 " + SshKey.generateRsa2048().authorizedKeysLine());
        List<String> tofu = new CopyOnWriteArrayList<>();
        try (InstanceConnection c = connect(HostKeyCheck.knownHostsOrTrustOnFirstUse(kh, tofu::add))) {
            c.run("true");
        }
        assertThat(tofu).singleElement().asString()
                .matches("Accepting host key for 127\\.0\\.0\\.1:" + sshd.port
                        + " on first use: SHA256:[A-Za-z0-9+/]{43}");
        assertThat(Files.readString(kh)).doesNotContain("127.0.0.1"); // never written
    }

    @Test
    void keyAcceptedOnFirstUseMustNotChangeLaterInTheSameRun() {
        HostKeyCheck check = HostKeyCheck.knownHostsOrTrustOnFirstUse(tmp.resolve("none2"), m -> { });
        java.security.PublicKey first = SshKey.generateRsa2048().publicKey();
        java.security.PublicKey second = SshKey.generateRsa2048().publicKey();
        assertThat(check.newVerifier().verify("10.0.0.5", 22, first)).isTrue();
        assertThat(check.newVerifier().verify("10.0.0.5", 22, first)).isTrue();
        HostKeyCheck.Verifier v = check.newVerifier();
        assertThat(v.verify("10.0.0.5", 22, second)).isFalse();
        assertThat(v.rejection()).get().asString().contains("changed during this run");
        assertThat(check.newVerifier().verify("10.0.0.6", 22, second)).isTrue();
    }
}
