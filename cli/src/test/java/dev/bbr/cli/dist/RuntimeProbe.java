package dev.bbr.cli.dist;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Run by {@link DistributionIT} on the self-contained distribution's runtime
 * ({@code runtime/bin/java -cp <test classes>:lib/* dev.bbr.cli.dist.RuntimeProbe}): exits 1 unless the JDK's
 * own providers serve what bbr's TLS and SSH negotiate. BouncyCastle is never registered here, so nothing
 * hides a provider that jlink left out; a missing one would otherwise show only against a Director or an
 * instance that happens to pick the algorithm.
 */
public final class RuntimeProbe {
    /** JCA lookups by name, as JSSE and sshj make them: type, algorithm. */
    private static final String[][] ALGORITHMS = {
        {"KeyPairGenerator", "EC"}, {"KeyPairGenerator", "X25519"}, {"KeyPairGenerator", "Ed25519"},
        {"KeyPairGenerator", "RSA"}, {"KeyPairGenerator", "DH"},
        {"KeyAgreement", "ECDH"}, {"KeyAgreement", "X25519"}, {"KeyAgreement", "DH"},
        {"KeyFactory", "EC"}, {"KeyFactory", "X25519"}, {"KeyFactory", "Ed25519"}, {"KeyFactory", "RSA"},
        {"Signature", "SHA256withECDSA"}, {"Signature", "SHA384withECDSA"}, {"Signature", "SHA512withECDSA"},
        {"Signature", "Ed25519"}, {"Signature", "SHA256withRSA"}, {"Signature", "SHA512withRSA"},
        {"Signature", "SHA1withRSA"}, {"Signature", "RSASSA-PSS"},
        {"Cipher", "AES/GCM/NoPadding"}, {"Cipher", "AES/CTR/NoPadding"}, {"Cipher", "AES/CBC/NoPadding"},
        {"Mac", "HmacSHA256"}, {"Mac", "HmacSHA512"}, {"Mac", "HmacSHA1"},
        {"MessageDigest", "SHA-256"}, {"MessageDigest", "SHA-384"}, {"MessageDigest", "SHA-512"},
        {"MessageDigest", "SHA-1"}, {"MessageDigest", "MD5"},
        {"CertificateFactory", "X.509"}, {"KeyStore", "PKCS12"}, {"KeyStore", "JKS"},
        {"TrustManagerFactory", "PKIX"}, {"KeyManagerFactory", "SunX509"},
        {"SSLContext", "TLSv1.3"}, {"SSLContext", "TLSv1.2"}, {"SecureRandom", "NativePRNG"},
    };

    private RuntimeProbe() {
    }

    public static void main(String[] args) throws Exception {
        // x25519 first: the group both handshakes below agree on (secp256r1 has to be offered too, or TLS 1.2
        // cannot use the P-256 certificate); read once, when JSSE loads
        System.setProperty("jdk.tls.namedGroups", "x25519,secp256r1");
        List<String> failures = new ArrayList<>();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

        for (String[] a : ALGORITHMS) {
            try {
                out.println("ok " + a[0] + " " + a[1] + " " + provider(a[0], a[1]).getName());
            } catch (Exception e) {
                failures.add(a[0] + " " + a[1] + ": " + e);
            }
        }
        for (String charset : List.of("windows-1255", "ISO-2022-JP", "IBM1047")) {   // jdk.charsets
            if (Charset.isSupported(charset)) {
                out.println("ok charset " + charset);
            } else {
                failures.add("charset " + charset);
            }
        }
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try {
                out.println("ok " + handshake(protocol));
            } catch (Exception e) {
                failures.add(protocol + " handshake: " + e);
            }
        }
        if (Security.getProvider("BC") != null) {
            failures.add("BouncyCastle is registered; the probe must see the JDK's providers alone");
        }
        for (String f : failures) {
            out.println("FAILED " + f);
        }
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private static Provider provider(String type, String algorithm) throws Exception {
        return switch (type) {
            case "KeyPairGenerator" -> KeyPairGenerator.getInstance(algorithm).getProvider();
            case "KeyAgreement" -> javax.crypto.KeyAgreement.getInstance(algorithm).getProvider();
            case "KeyFactory" -> java.security.KeyFactory.getInstance(algorithm).getProvider();
            case "Signature" -> java.security.Signature.getInstance(algorithm).getProvider();
            case "Cipher" -> javax.crypto.Cipher.getInstance(algorithm).getProvider();
            case "Mac" -> javax.crypto.Mac.getInstance(algorithm).getProvider();
            case "MessageDigest" -> java.security.MessageDigest.getInstance(algorithm).getProvider();
            case "CertificateFactory" -> java.security.cert.CertificateFactory.getInstance(algorithm).getProvider();
            case "KeyStore" -> KeyStore.getInstance(algorithm).getProvider();
            case "TrustManagerFactory" -> TrustManagerFactory.getInstance(algorithm).getProvider();
            case "KeyManagerFactory" -> KeyManagerFactory.getInstance(algorithm).getProvider();
            case "SSLContext" -> SSLContext.getInstance(algorithm).getProvider();
            case "SecureRandom" -> java.security.SecureRandom.getInstance(algorithm).getProvider();
            default -> throw new IllegalArgumentException(type);
        };
    }

    /**
     * A TLS handshake over loopback as bbr makes them to a Director: the client trusts only a private CA (what
     * {@code --ca-cert}/{@code BOSH_CA_CERT} give it) and checks the server's name; here the CA and the server
     * have ECDSA P-256 keys and the key exchange is x25519.
     */
    private static String handshake(String protocol) throws Exception {
        KeyPair caKey = ecKey();
        X509Certificate ca = certificate("CN=probe CA", caKey, "CN=probe CA", caKey, true);
        KeyPair serverKey = ecKey();
        X509Certificate server = certificate("CN=127.0.0.1", serverKey, "CN=probe CA", caKey, false);

        char[] pass = "probe".toCharArray();
        KeyStore serverStore = KeyStore.getInstance("PKCS12");
        serverStore.load(null, null);
        serverStore.setKeyEntry("server", serverKey.getPrivate(), pass, new X509Certificate[] {server, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverStore, pass);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            listener.setEnabledProtocols(new String[] {protocol});
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                    s.getOutputStream().write(("pong " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    return line;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket(loopback, listener.getLocalPort())) {
                client.setSoTimeout(30_000);
                client.setEnabledProtocols(new String[] {protocol});
                SSLParameters params = client.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(params);
                client.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().flush();
                String reply = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                served.get(30, TimeUnit.SECONDS);
                if (!"pong ping".equals(reply)) {
                    throw new IllegalStateException("unexpected reply " + reply);
                }
                return "handshake " + client.getSession().getProtocol() + " " + client.getSession().getCipherSuite()
                        + " x25519 ECDSA private CA";
            }
        }
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** BouncyCastle's builder only assembles the certificate; signing and parsing use the JDK's providers. */
    private static X509Certificate certificate(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey,
            boolean ca) throws Exception {
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now), new Date(now - 60_000), new Date(now + 3_600_000), new X500Name(subject),
                subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }
}
