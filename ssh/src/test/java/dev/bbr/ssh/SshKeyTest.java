package dev.bbr.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeyTest {

    @TempDir
    Path tmp;

    private Path keygen(String name, String... args) throws Exception {
        Path f = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-f", f.toString()));
        cmd.addAll(List.of(args));
        TestSshd.exec(cmd);
        return f;
    }

    private static String pubOf(Path key) throws Exception {
        String[] parts = Files.readString(Path.of(key + ".pub")).trim().split(" ");
        return parts[0] + " " + parts[1] + "\n";
    }

    @Test
    void generatedRsaKeyHasAuthorizedKeysLine() {
        SshKey k = SshKey.generateRsa2048();
        assertThat(k.authorizedKeysLine()).startsWith("ssh-rsa AAAA").endsWith("\n").doesNotContain(" \n");
        assertThat(k.type()).isEqualTo("ssh-rsa");
        assertThat(k.toString()).startsWith("SshKey[ssh-rsa SHA256:").doesNotContain("AAAA");
    }

    @Test
    void generatedEd25519KeyIsWhatSshKeygenWouldPrint() throws Exception {
        SshKey k = SshKey.generateEd25519();
        assertThat(k.type()).isEqualTo("ssh-ed25519");
        // 32-byte key: a 51-byte wire blob, 68 base64 characters and no padding
        assertThat(k.authorizedKeysLine()).matches("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}\n");
        assertThat(PublicKeys.parseAuthorizedKey(k.authorizedKeysLine()).getEncoded())
                .isEqualTo(k.publicKey().getEncoded());
        Path pub = tmp.resolve("generated-ed25519.pub");
        Files.writeString(pub, k.authorizedKeysLine());
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", pub.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains(k.fingerprint()).contains("(ED25519)");
        assertThat(SshKey.generateEd25519().fingerprint()).isNotEqualTo(k.fingerprint());
    }

    @Test
    void readsRsaPkcs1() throws Exception {
        Path f = keygen("rsa-pkcs1", "-t", "rsa", "-b", "2048", "-m", "PEM");
        assertThat(Files.readString(f)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(SshKey.fromPemFile(f).authorizedKeysLine()).isEqualTo(pubOf(f));
    }

    @Test
    void readsRsaPkcs8() throws Exception {
        Path f = keygen("rsa-pkcs8", "-t", "rsa", "-b", "2048", "-m", "PKCS8");
        assertThat(Files.readString(f)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(SshKey.fromPemFile(f).authorizedKeysLine()).isEqualTo(pubOf(f));
    }

    @Test
    void readsOpenSshFormats() throws Exception {
        for (String type : List.of("ed25519", "ecdsa", "rsa")) {
            Path f = keygen("openssh-" + type, "-t", type);
            assertThat(Files.readString(f)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
            SshKey k = SshKey.fromPemFile(f);
            assertThat(k.authorizedKeysLine()).as(type).isEqualTo(pubOf(f));
        }
    }

    @Test
    void unreadableFile() {
        assertThatThrownBy(() -> SshKey.fromPemFile(tmp.resolve("missing")))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("failed reading private key: ");
    }

    @Test
    void unparseableFile() throws Exception {
        Path f = tmp.resolve("garbage");
        Files.writeString(f, "-----BEGIN RSA PRIVATE KEY-----\nnot really\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> SshKey.fromPemFile(f))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("ssh.NewConnection.ParsePrivateKey failed: ");
        Files.writeString(f, "hello");
        assertThatThrownBy(() -> SshKey.fromPemFile(f))
                .hasMessageStartingWith("ssh.NewConnection.ParsePrivateKey failed: ");
    }
}
