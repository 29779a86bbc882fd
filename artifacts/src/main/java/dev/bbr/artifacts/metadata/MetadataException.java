package dev.bbr.artifacts.metadata;

import java.io.IOException;

/** The metadata file cannot be understood. The message is bbr's: {@code unable to load metadata: <cause>}. */
public final class MetadataException extends IOException {
    private static final long serialVersionUID = 1L;

    public MetadataException(String cause, Throwable throwable) {
        super("unable to load metadata: " + cause, throwable);
    }

    public MetadataException(String cause) {
        super("unable to load metadata: " + cause);
    }
}
