package dev.bbr.artifacts.validate;

import java.util.Objects;
import java.util.Optional;

/** One reason a backup must not be restored. {@link #message()} is the user-facing text. */
public final class ValidationProblem {

    public enum Kind {
        /** Our incomplete-backup marker is present: the backup run never finished. */
        INCOMPLETE_BACKUP,
        METADATA_UNREADABLE,
        ARTIFACT_MISSING,
        ARTIFACT_UNREADABLE,
        /** File contents differ from the metadata, or the file sets differ. */
        CHECKSUM_MISMATCH,
        /** Absolute or {@code ..} names, devices, fifos: must not reach {@code sudo tar -x}. */
        UNSAFE_ENTRY,
        /** The tar is truncated or not a tar. */
        MALFORMED_ARCHIVE,
        /** The tar looks complete but our parser cannot read it (e.g. huge sparse file). Not proof of corruption. */
        VERIFICATION_UNAVAILABLE,
        /** The contents match, but the stored file is not the one the sidecar recorded (bbr for Java). */
        STORED_FILE_MISMATCH;

        /** True when the bytes on disk are demonstrably not what was backed up. */
        public boolean isCorruption() {
            return this == CHECKSUM_MISMATCH || this == UNSAFE_ENTRY || this == MALFORMED_ARCHIVE
                    || this == STORED_FILE_MISMATCH;
        }
    }

    private final Kind kind;
    private final String artifactFile;
    private final String message;

    ValidationProblem(Kind kind, String artifactFile, String message) {
        this.kind = Objects.requireNonNull(kind);
        this.artifactFile = artifactFile;
        this.message = Objects.requireNonNull(message);
    }

    public Kind kind() {
        return kind;
    }

    /** The tar concerned, if the problem is about one artifact. */
    public Optional<String> artifactFile() {
        return Optional.ofNullable(artifactFile);
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
