package dev.bbr.artifacts.store;

import java.io.IOException;
import java.util.Objects;

/**
 * A store could not do what was asked. The message is the operator-facing text, worded by the
 * adapter as bbr words it (e.g. {@code stat /backups: no such file or directory}); the reason is for
 * callers that decide on it, so nobody matches message prefixes.
 */
public final class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure. */
    public enum Reason {
        /** The location, backup or artifact does not exist. */
        NOT_FOUND,
        /** The location exists but is not something a backup can live in (e.g. a regular file). */
        NOT_A_DIRECTORY,
        /** Creating the backup failed (permissions, a full disk, a name already taken). */
        CREATE_FAILED,
        /** Reading what exists failed. */
        READ_FAILED,
        /** Writing failed part way. */
        WRITE_FAILED,
        /** The location cannot be handled by any registered store. */
        UNSUPPORTED_LOCATION,
        /** Another run holds the run lock (see {@link RunLock}). */
        LOCKED
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
