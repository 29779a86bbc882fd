package dev.bbr.director;

/**
 * Invalid user input detected before any network traffic: Director URL, CA certificate, UAA URL
 * advertised by /info. The CLI prints {@link #getMessage()} verbatim as a validation error.
 */
public class DirectorConfigException extends DirectorException {
    private static final long serialVersionUID = 1L;

    public DirectorConfigException(String message) {
        super(message);
    }

    public DirectorConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
