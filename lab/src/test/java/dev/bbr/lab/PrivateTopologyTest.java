package dev.bbr.lab;

import org.awaitility.Awaitility;
import java.time.Duration;
import dev.bbr.lab.junit.LabExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** topology: private - everything but the jumpbox is only reachable through the jumpbox. */
class PrivateTopologyTest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/private.yml");

    @TempDir
    Path tmp;

    @Test
    void onlyTheJumpboxIsReachableFromTheHost() throws Exception {
        Lab l = lab.get();
        assertThat(l.directorUrl()).isEqualTo("https://10.244.0.10:25555");
        assertThat(l.env()).containsEntry("LAB_TOPOLOGY", "private");
        LabInstance db0 = l.instance("lab-deployment", "database", 0);
        assertThat(db0.ip()).isEqualTo("10.244.0.20");
        for (InetSocketAddress a : List.of(new InetSocketAddress(db0.ip(), 22), new InetSocketAddress("10.244.0.10", 25555))) {
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(a, 2000)).as(a.toString()).isInstanceOf(IOException.class);
            }
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(l.jumpbox().ip(), 22), 2000);
        }
        // the VM sees its own address and the Director relay inside the private network
        assertThat(db0.exec("exec 3<>/dev/tcp/10.244.0.10/25555 && echo ok").stdout().strip()).isEqualTo("ok");
    }

    @Test
    void directorAndVmsWorkThroughTheJumpbox() throws Exception {
        Lab l = lab.get();
        String proxy = l.jumpboxProxyUrl();
        String jumpKey = proxy.substring(proxy.indexOf("private-key=") + 12);
        LabInstance jb = l.jumpbox();
        Path jkh = OpenSsh.knownHosts(tmp, jb.ip(), jb.hostPublicKey());
        String jumpOpts = "-i " + jumpKey + " -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=" + jkh
                + " -o StrictHostKeyChecking=yes";

        // SSH to the director VM via the jumpbox
        LabInstance dvm = l.directorVm();
        Path kh = OpenSsh.knownHosts(tmp, dvm.ip(), dvm.hostPublicKey());
        ExecResult r = OpenSsh.run(l.directorVmKey(), kh, l.env().get("LAB_DIRECTOR_VM_USER"), dvm.ip(), "hostname",
                "-o", "ProxyCommand=ssh " + jumpOpts + " -W %h:%p lab-jumpbox@" + jb.ip());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("bosh-0");

        // HTTPS to the Director through a SOCKS5 tunnel over the jumpbox
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Process tunnel = new ProcessBuilder("bash", "-c", "exec ssh " + jumpOpts + " -N -D 127.0.0.1:" + port + " lab-jumpbox@" + jb.ip())
                .redirectErrorStream(true).start();
        try {
            // the ssh -D tunnel takes a moment to listen: retry until the Director answers through it
            String info = Awaitility.await("GET /info through the jumpbox").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> getInfoViaSocks(l, port), java.util.Objects::nonNull);
            assertThat(info).startsWith("HTTP/1.1 200").contains("\"user_authentication\":{\"type\":\"basic\"");
        } finally {
            tunnel.destroy();
            tunnel.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** HTTPS GET /info through a SOCKS5 proxy (what BOSH_ALL_PROXY does), verifying the lab CA and hostname. */
    private static String getInfoViaSocks(Lab l, int socksPort) throws Exception {
        java.net.Proxy proxy = new java.net.Proxy(java.net.Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", socksPort));
        Socket raw = new Socket(proxy);
        raw.connect(InetSocketAddress.createUnresolved("10.244.0.10", 25555), 5000);
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(l.caCertPath())) {
            ks.setCertificateEntry("lab", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(raw, "10.244.0.10", 25555, true)) {
            javax.net.ssl.SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(p);
            tls.setSoTimeout(5000);
            tls.getOutputStream().write("GET /info HTTP/1.1\r\nHost: 10.244.0.10:25555\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            return new String(tls.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void netemIsAppliedOrReportedUnsupportedWithAClearError() {
        try {
            lab.get().faults().netem("delay 50ms");
            assertThat(lab.get().faults().json()).containsEntry("netem", "delay 50ms");
        } catch (UnsupportedOperationException e) {
            assertThat(e.getMessage()).contains("sch_netem");
        } finally {
            lab.get().faults().clear();
        }
    }
}
