package dev.bbr.core.errors;

/** The footers bbr appends to an error report, word for word. */
public final class Advice {
    public static final String BACKUP_CLEANUP =
            "It is recommended that you run `bbr backup-cleanup` to ensure that any temp files are cleaned up"
                    + " and all jobs are unlocked.";
    public static final String BACKUP_CLEANUP_ALL_DEPLOYMENTS =
            "It is recommended that you run `bbr deployment --all-deployments backup-cleanup` to ensure that any"
                    + " temp files are cleaned up and all jobs are unlocked.";
    public static final String RESTORE_CLEANUP =
            "It is recommended that you run `bbr restore-cleanup` to ensure that any temp files are cleaned up"
                    + " and all jobs are unlocked.";

    /** bbr for Java's {@code --all-deployments restore}: restore-cleanup takes one deployment at a time. */
    public static final String RESTORE_CLEANUP_ALL_DEPLOYMENTS =
            "It is recommended that you run `bbr deployment --deployment <name> restore-cleanup` for each deployment"
                    + " listed above to ensure that any temp files are cleaned up and all jobs are unlocked.";

    private Advice() {}
}
