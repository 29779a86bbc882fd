package dev.bbr.artifacts.codec;

import java.io.IOException;

/**
 * None of the given age identities can decrypt the artifact (or none was given). Separate from
 * {@link CorruptArtifactException} so a caller can tell "bring the right key" from "the file is damaged".
 */
public final class WrongIdentityException extends IOException {
    private static final long serialVersionUID = 1L;

    public WrongIdentityException(String message) {
        super(message);
    }

    public WrongIdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
