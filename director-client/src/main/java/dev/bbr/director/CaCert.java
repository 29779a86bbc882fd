package dev.bbr.director;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CA bundle given with {@code --ca-cert}/{@code CA_CERT}/{@code BOSH_CA_CERT}; it is the only
 * trust anchor for both the Director and UAA.
 *
 * <p>Follows bosh-cli's {@code CACertArg}: a value containing {@code BEGIN} is inline PEM,
 * anything else is a path ({@code ~} expanded) whose content is read. Parsing happens eagerly so
 * the CLI can report a bad certificate before contacting anything. There is deliberately no way
 * to build an "accept everything" trust manager from this class.
 */
public final class CaCert {
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

    private final List<X509Certificate> certificates;
    private final X509TrustManager trustManager;
    private final SSLSocketFactory sslSocketFactory;

    private CaCert(List<X509Certificate> certificates) {
        this.certificates = List.copyOf(certificates);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("bosh-ca-" + i, certificates.get(i));
            }
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            this.trustManager = onlyX509(tmf.getTrustManagers());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            this.sslSocketFactory = context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            // Only reachable if the JRE lacks standard providers; not a user error.
            throw new IllegalStateException("Cannot initialise TLS trust store: " + e.getMessage(), e);
        }
    }

    /**
     * Parses the CA argument.
     *
     * @throws DirectorConfigException {@code Expected CA cert to be non-empty}, {@code open <path>:
     *     no such file or directory}, or {@code Parsing certificate N: Missing PEM block}
     */
    public static CaCert parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new DirectorConfigException("Expected CA cert to be non-empty");
        }
        String pem = value.contains("BEGIN") ? value : readFile(value);
        return new CaCert(parsePem(pem));
    }

    private static String readFile(String value) {
        Path path = expandHome(value).toAbsolutePath();
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DirectorConfigException("open " + path + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new DirectorConfigException("open " + path + ": permission denied");
        } catch (IOException e) {
            // Directories and unreadable encodings end up here; keep Go's "open <path>:" shape.
            String why = Files.isDirectory(path) ? "is a directory" : String.valueOf(e.getMessage());
            throw new DirectorConfigException("open " + path + ": " + why);
        }
    }

    private static Path expandHome(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + value.substring(1));
        }
        return Path.of(value);
    }

    private static List<X509Certificate> parsePem(String pem) {
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(pem);
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 support missing from the JRE", e);
        }
        while (m.find()) {
            int number = certs.size() + 1;
            if (!m.group(1).equals("CERTIFICATE")) {
                throw new DirectorConfigException(
                        "Parsing certificate " + number + ": Not a certificate (" + m.group(1) + ")");
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                certs.add((X509Certificate)
                        factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new DirectorConfigException(
                        "Parsing certificate " + number + ": " + e.getMessage());
            }
        }
        if (certs.isEmpty()) {
            throw new DirectorConfigException("Parsing certificate 1: Missing PEM block");
        }
        return certs;
    }

    private static X509TrustManager onlyX509(TrustManager[] managers) {
        for (TrustManager tm : managers) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("No X509TrustManager available");
    }

    /** All certificates of the bundle, in file order. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** Trusts exactly the certificates of this bundle (no system roots). */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** A TLS socket factory backed by {@link #trustManager()}; pair the two in OkHttp. */
    public SSLSocketFactory sslSocketFactory() {
        return sslSocketFactory;
    }

    @Override
    public String toString() {
        return "CaCert" + certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }
}
