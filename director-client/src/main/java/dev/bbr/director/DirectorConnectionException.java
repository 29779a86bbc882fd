package dev.bbr.director;

/**
 * The request never produced an HTTP response: connection refused, DNS failure, timeout, proxy
 * failure. The message names the method and URL in Go's {@code Get "<url>": <reason>} style so
 * the user can tell which endpoint (Director or UAA) was unreachable.
 */
public class DirectorConnectionException extends DirectorException {
    private static final long serialVersionUID = 1L;

    private final String url;

    public DirectorConnectionException(String message, String url, Throwable cause) {
        super(message, cause);
        this.url = url;
    }

    /** The URL that could not be reached. */
    public String url() {
        return url;
    }
}
