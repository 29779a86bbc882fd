package dev.bbr.service.config;

/**
 * A secret read from an environment variable or a file the config names, never from the config
 * text. It prints as its source only, so a secret logged by mistake shows where it came from and
 * not what it is.
 */
public final class Secret {
    private final String value;
    private final String source;

    Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    public String reveal() {
        return value;
    }

    /** {@code env BBR_SERVICE_TOKEN} or {@code file /etc/bbr/token}. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Secret[" + source + "]";
    }
}
