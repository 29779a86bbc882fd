package dev.bbr.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.Security;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.NegotiatedAlgorithms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshjConfigTest {

    @TempDir
    static Path tmp;
    static TestSshd sshd;
    static SshKey key;

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

    @Test
    void bouncyCastleIsPresentButLastAndNotPinned() throws Exception {
        SshjConfig.shared();
        java.security.Provider[] providers = Security.getProviders();
        assertThat(providers[providers.length - 1].getName()).isEqualTo("BC");
        assertThat(SecurityUtils.getSecurityProvider()).isNull();
        assertThat(SecurityUtils.getCipher("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(SecurityUtils.getCipher("AES/CTR/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(SecurityUtils.getMAC("HmacSHA256").getProvider().getName()).isEqualTo("SunJCE");
        // ECDSA keys need BC's "ECDSA" KeyFactory alias: the reason BC stays registered at all
        assertThat(SecurityUtils.getKeyFactory("ECDSA").getProvider().getName()).isEqualTo("BC");
    }

    @Test
    void cipherListDropsChachaAndPrefersAesGcm() {
        assertThat(SshjConfig.shared().getCipherFactories()).extracting(f -> f.getName()).containsExactly(
                "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr");
        assertThat(SshjConfig.shared().getMACFactories()).extracting(f -> f.getName()).startsWith(
                "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com");
    }

    @Test
    void negotiatesAesGcmServedBySunJceAgainstStemcellPolicy() throws Exception {
        AtomicReference<NegotiatedAlgorithms> negotiated = new AtomicReference<>();
        try (SSHClient c = new SSHClient(SshjConfig.shared())) {
            c.addHostKeyVerifier(HostKeyCheck.pinned(sshd.hostPublicKey("rsa")).newVerifier());
            c.addAlgorithmsVerifier(a -> {
                negotiated.set(a);
                return true;
            });
            c.connect("127.0.0.1", sshd.port);
            c.authPublickey("root", key.sshjKeyProvider());
            assertThat(c.isAuthenticated()).isTrue();
        }
        assertThat(negotiated.get().getClient2ServerCipherAlgorithm()).isEqualTo("aes128-gcm@openssh.com");
        assertThat(negotiated.get().getServer2ClientCipherAlgorithm()).isEqualTo("aes128-gcm@openssh.com");
        // sshj's GCM cipher asks SecurityUtils for "AES/GCM/NoPadding"; with no pinned provider that is SunJCE
        assertThat(SecurityUtils.getCipher("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
    }
}
