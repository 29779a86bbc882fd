package dev.bbr.director.http;

import dev.bbr.director.DirectorConnectionException;
import dev.bbr.director.DirectorTlsException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Turns an IOException into a message a bbr user can act on. Shape follows Go's
 * {@code Get "<url>": <reason>} so output stays familiar, and TLS failures say which host failed
 * and how to fix it, because "PKIX path building failed" means nothing to most operators.
 */
public final class TransportErrors {
    static final String CA_ADVICE = "pass the Director's CA with --ca-cert or BOSH_CA_CERT";

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;

    public TransportErrors(Duration connectTimeout, Duration readTimeout, Duration callTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.callTimeout = callTimeout;
    }

    /**
     * Certificate verification failures are deterministic: retrying only delays the error. (A
     * connection dropped mid-handshake is not one of them; that is an ordinary network blip.)
     */
    public static boolean isVerificationFailure(Throwable e) {
        return find(e, SSLPeerUnverifiedException.class) != null
                || find(e, CertPathBuilderException.class) != null
                || find(e, CertPathValidatorException.class) != null
                || find(e, CertificateException.class) != null;
    }

    /**
     * True when the HTTP request cannot have reached the server (no TCP connection, or the TLS
     * handshake never completed), so even a POST may be replayed.
     */
    public static boolean requestNeverSent(Throwable e) {
        return find(e, ConnectException.class) != null
                || find(e, UnknownHostException.class) != null
                || find(e, NoRouteToHostException.class) != null
                || (find(e, SSLHandshakeException.class) != null && !isVerificationFailure(e));
    }

    public DirectorConnectionException describe(ApiRequest request, Throwable e) {
        String method = request.method();
        String goMethod = method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
        String url = request.url().toString();
        String host = request.url().host();
        String prefix = goMethod + " \"" + url + "\": ";

        SSLPeerUnverifiedException peer = find(e, SSLPeerUnverifiedException.class);
        if (peer != null) {
            return new DirectorTlsException(prefix + "x509: certificate is not valid for '" + host
                    + "' (TLS verification of " + host + " failed: " + peer.getMessage()
                    + "); use the host name or IP the certificate was issued for, or "
                    + CA_ADVICE, url, host, e);
        }
        if (isVerificationFailure(e)) {
            return new DirectorTlsException(prefix
                    + "x509: certificate signed by unknown authority (TLS verification of " + host
                    + " failed: its certificate is not signed by the configured CA); "
                    + CA_ADVICE, url, host, e);
        }
        SSLException ssl = find(e, SSLException.class);
        if (ssl != null) {
            // Not a trust problem (dropped connection, plain HTTP port, protocol mismatch).
            String kind = ssl instanceof SSLHandshakeException ? "TLS handshake" : "TLS";
            return new DirectorConnectionException(prefix + kind + " with " + host + " failed: "
                    + ssl.getMessage() + " (check that the URL points at an HTTPS port)", url, e);
        }

        UnknownHostException unknown = find(e, UnknownHostException.class);
        if (unknown != null) {
            return new DirectorConnectionException(
                    prefix + "dial tcp: lookup " + host + ": no such host", url, e);
        }
        ConnectException connect = find(e, ConnectException.class);
        if (connect != null) {
            String msg = String.valueOf(rootMessage(connect));
            String reason = msg.toLowerCase(Locale.ROOT).contains("refused")
                    ? "connection refused" : msg;
            return new DirectorConnectionException(prefix + "connect: " + reason, url, e);
        }
        SocketTimeoutException timeout = find(e, SocketTimeoutException.class);
        if (timeout != null) {
            boolean connectPhase = String.valueOf(timeout.getMessage())
                    .toLowerCase(Locale.ROOT).contains("connect");
            String reason = connectPhase
                    ? "connect: i/o timeout (no connection within " + human(connectTimeout) + ")"
                    : "read: i/o timeout (no data within " + human(readTimeout) + ")";
            return new DirectorConnectionException(prefix + reason, url, e);
        }
        if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
            // OkHttp's call timeout: the whole exchange took too long.
            return new DirectorConnectionException(prefix
                    + "request did not complete within " + human(callTimeout), url, e);
        }
        return new DirectorConnectionException(
                prefix + e.getClass().getSimpleName() + ": " + rootMessage(e), url, e);
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String msg = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        return msg;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable s : t.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }
}
