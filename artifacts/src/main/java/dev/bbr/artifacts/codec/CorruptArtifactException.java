package dev.bbr.artifacts.codec;

import java.io.IOException;

/**
 * The stored bytes of an encoded artifact are not what was written: truncated, modified, or not in the
 * recorded format. Failures of the storage itself (a read error of the disk or the network) are never
 * reported as this type; they pass through unchanged.
 */
public final class CorruptArtifactException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
