package dev.bbr.director.http;

/**
 * Supplies the Authorization header for Director requests. After a 401 the caller asks for a
 * fresh value once ({@link #afterUnauthorized}); that is bosh-cli's "re-authenticate and retry
 * once" rule, which for UAA means a new token and for basic auth simply the same header again.
 */
public interface AuthScheme {

    /** Header value for the next request, or null to send none. */
    String header();

    /**
     * Header value to retry with after the Director rejected {@code rejected} with 401.
     *
     * @param rejected the value that was refused (lets concurrent callers share one refresh)
     */
    String afterUnauthorized(String rejected);

    /** No credentials at all (only /info is meant to be called like this). */
    AuthScheme ANONYMOUS = new AuthScheme() {
        @Override
        public String header() {
            return null;
        }

        @Override
        public String afterUnauthorized(String rejected) {
            return null;
        }
    };
}
