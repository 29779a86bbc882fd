package dev.bbr.director;

/**
 * The Director (or something in front of it) answered with a status bosh-cli does not treat as
 * success (anything but 200, 201, 204, 206, 302).
 *
 * <p>The message is bosh-cli's exact wording because bbr surfaces it unchanged and users grep for
 * it. When the body is the Director's JSON error shape {@code {"code":N,"description":"..."}} the
 * two fields are exposed as well, so callers can branch on e.g. 70000 (deployment not found)
 * without string matching.
 */
public class DirectorResponseException extends DirectorException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String body;
    private final Integer errorCode;
    private final String errorDescription;
    private final String method;
    private final String url;

    public DirectorResponseException(int status, String body, Integer errorCode,
            String errorDescription, String method, String url) {
        super(String.format("Director responded with non-successful status code '%d' response '%s'",
                status, body));
        this.status = status;
        this.body = body;
        this.errorCode = errorCode;
        this.errorDescription = errorDescription;
        this.method = method;
        this.url = url;
    }

    /** HTTP status code. */
    public int status() {
        return status;
    }

    /** Response body verbatim (may be empty, plain text, or JSON). */
    public String body() {
        return body;
    }

    /** Director error code from a JSON body, e.g. 70000; null if the body was not that shape. */
    public Integer errorCode() {
        return errorCode;
    }

    /** Director error description from a JSON body; null if the body was not that shape. */
    public String errorDescription() {
        return errorDescription;
    }

    /** HTTP method of the failing request. */
    public String method() {
        return method;
    }

    /** URL of the failing request (never contains credentials). */
    public String url() {
        return url;
    }
}
