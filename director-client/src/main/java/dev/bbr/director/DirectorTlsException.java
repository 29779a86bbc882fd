package dev.bbr.director;

/**
 * TLS verification of the Director or UAA failed (unknown CA, wrong host name, handshake refused).
 * A separate type because it is never transient: retrying cannot help, the user must supply the
 * right CA certificate.
 */
public class DirectorTlsException extends DirectorConnectionException {
    private static final long serialVersionUID = 1L;

    private final String host;

    public DirectorTlsException(String message, String url, String host, Throwable cause) {
        super(message, url, cause);
        this.host = host;
    }

    /** The host whose certificate could not be verified. */
    public String host() {
        return host;
    }
}
