package dev.bbr.core.errors;

import java.util.Collection;

/** bbr's exit codes: 0 on success, otherwise the OR of one bit per kind of error that occurred. */
public final class ExitCode {
    public static final int SUCCESS = 0;
    public static final int GENERAL = 1;
    public static final int LOCK = 4;
    public static final int UNLOCK = 8;
    public static final int CLEANUP = 16;
    /** bbr for Java only: the run lock is held by another run (outside bbr's bits, which add up to 29). */
    public static final int RUN_LOCKED = 32;

    private ExitCode() {}

    /** Each bit is set once, however many errors of its kind occurred. */
    public static int of(Collection<BbrError> errors) {
        int code = SUCCESS;
        for (BbrError error : errors) {
            code |= error.kind().exitBit();
        }
        return code;
    }
}
