package dev.bbr.ssh.proxy;

/** An unusable BOSH_ALL_PROXY value; the message uses bbr's wording. */
public class ProxyConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ProxyConfigException(String message) {
        super(message);
    }

    public ProxyConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
