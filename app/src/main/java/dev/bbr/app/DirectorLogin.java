package dev.bbr.app;

/**
 * How to reach and authenticate to a BOSH Director (deployment mode): its URL, the client (basic
 * user or UAA client id) and secret, and its CA certificate (a path, or the PEM itself).
 */
public record DirectorLogin(String url, String client, String clientSecret, String caCert) {
    /** Never prints the secret. */
    @Override
    public String toString() {
        return "DirectorLogin[url=" + url + ", client=" + client + "]";
    }
}
