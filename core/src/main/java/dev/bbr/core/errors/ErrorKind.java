package dev.bbr.core.errors;

/**
 * What failed, which decides the exit-code bit and the advice footer.
 *
 * <p>bbr's exit code is a bitmask: 1 for anything general, 4 for a lock failure, 8 for an unlock
 * failure and 16 for a cleanup failure. The general kinds are kept apart because the footer
 * depends on them (a drain or artifact-directory failure advises {@code backup-cleanup}, a
 * failed backup script does not).
 */
public enum ErrorKind {
    GENERAL(ExitCode.GENERAL),
    BACKUP(ExitCode.GENERAL),
    RESTORE(ExitCode.GENERAL),
    DRAIN(ExitCode.GENERAL),
    ARTIFACT_DIR(ExitCode.GENERAL),
    LOCK(ExitCode.LOCK),
    UNLOCK(ExitCode.UNLOCK),
    CLEANUP(ExitCode.CLEANUP),
    /** Another run of the same deployment holds the store's run lock: nothing was done. */
    RUN_LOCKED(ExitCode.RUN_LOCKED);

    private final int exitBit;

    ErrorKind(int exitBit) {
        this.exitBit = exitBit;
    }

    public int exitBit() {
        return exitBit;
    }

    /** The kinds after which bbr recommends running {@code backup-cleanup}. */
    public boolean advisesBackupCleanup() {
        return this == UNLOCK || this == CLEANUP || this == ARTIFACT_DIR || this == DRAIN;
    }
}
