package dev.bbr.director;

/**
 * UAA refused to issue a token (bad client id/secret, missing scope, wrong URL). Message is
 * bosh-cli's {@code UAA responded with non-successful status code '%d' response '%s'}; UAA error
 * bodies never carry the secret we sent, so including the body is safe.
 */
public class UaaResponseException extends DirectorException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public UaaResponseException(int status, String body) {
        super(String.format("UAA responded with non-successful status code '%d' response '%s'",
                status, body));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
