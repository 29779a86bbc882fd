package dev.bbr.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCertTest {
    static final TestCerts ONE = TestCerts.create("ca-one");
    static final TestCerts TWO = TestCerts.create("ca-two");

    @Test
    void inlinePemIsParsed() {
        CaCert ca = CaCert.parse(ONE.caPem());
        assertThat(ca.certificates()).containsExactly(ONE.ca);
        assertThat(ca.sslSocketFactory()).isNotNull();
    }

    @Test
    void pathIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ca.pem");
        Files.writeString(file, ONE.caPem() + TWO.caPem());
        CaCert ca = CaCert.parse(file.toString());
        assertThat(ca.certificates()).containsExactly(ONE.ca, TWO.ca);
    }

    @Test
    void bundleTrustsEveryMember() throws Exception {
        CaCert ca = CaCert.parse(ONE.caPem() + "\n" + TWO.caPem());
        ca.trustManager().checkServerTrusted(new X509Certificate[] {TWO.server, TWO.ca}, "RSA");
        ca.trustManager().checkServerTrusted(new X509Certificate[] {ONE.server}, "RSA");
    }

    @Test
    void foreignChainIsNotTrusted() {
        CaCert ca = CaCert.parse(ONE.caPem());
        assertThatThrownBy(() -> ca.trustManager()
                        .checkServerTrusted(new X509Certificate[] {TWO.server, TWO.ca}, "RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void emptyIsRejected() {
        assertThatThrownBy(() -> CaCert.parse(""))
                .isInstanceOf(DirectorConfigException.class)
                .hasMessage("Expected CA cert to be non-empty");
    }

    @Test
    void missingFileUsesGoWording() {
        assertThatThrownBy(() -> CaCert.parse("/not/a/valid/path"))
                .isInstanceOf(DirectorConfigException.class)
                .hasMessage("open /not/a/valid/path: no such file or directory");
    }

    @Test
    void tildeIsExpanded() {
        String home = System.getProperty("user.home");
        assertThatThrownBy(() -> CaCert.parse("~/definitely-missing-ca.pem"))
                .hasMessage("open " + Path.of(home, "definitely-missing-ca.pem") + ": no such file or directory");
    }

    @Test
    void garbagePemIsRejected() {
        assertThatThrownBy(() -> CaCert.parse("-----BEGIN CERTIFICATE-----\nnot a cert"))
                .isInstanceOf(DirectorConfigException.class)
                .hasMessageContaining("Missing PEM block");
    }

    @Test
    void fileWithoutPemIsRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ca.pem");
        Files.writeString(file, "hello");
        assertThatThrownBy(() -> CaCert.parse(file.toString()))
                .hasMessageContaining("Missing PEM block");
    }

    @Test
    void corruptBase64IsRejected() {
        assertThatThrownBy(() -> CaCert.parse(
                        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(DirectorConfigException.class)
                .hasMessageStartingWith("Parsing certificate 1: ");
    }
}
