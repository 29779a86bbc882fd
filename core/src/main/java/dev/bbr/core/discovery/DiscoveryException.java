package dev.bbr.core.discovery;

/** Finding the deployment's instances or jobs failed; the message is what the operator sees. */
public class DiscoveryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DiscoveryException(String message) {
        super(message);
    }

    public DiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
