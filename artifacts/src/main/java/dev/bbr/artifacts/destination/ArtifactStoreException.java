package dev.bbr.artifacts.destination;

import java.io.IOException;

/** A backup directory could not be created, opened or written. Messages follow bbr's wording. */
public final class ArtifactStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public ArtifactStoreException(String message) {
        super(message);
    }

    public ArtifactStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
