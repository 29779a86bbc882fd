package dev.bbr.core.workflow;

import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.model.Script;

/** A script phase with bbr's exact log lines and error wording (docs/release-author-guide.md lists them). */
public enum Phase {
    PRE_BACKUP_LOCK(Script.PRE_BACKUP_LOCK, ErrorKind.LOCK, "Locking %s on %s for backup...",
            "Finished locking %s on %s for backup.", "Error locking %s on %s."),
    BACKUP(Script.BACKUP, ErrorKind.BACKUP, "Backing up %s on %s...", "Finished backing up %s on %s.",
            "Error backing up %s on %s."),
    POST_BACKUP_UNLOCK(Script.POST_BACKUP_UNLOCK, ErrorKind.UNLOCK, "Unlocking %s on %s...",
            "Finished unlocking %s on %s.", "Error unlocking %s on %s."),
    PRE_RESTORE_LOCK(Script.PRE_RESTORE_LOCK, ErrorKind.GENERAL, "Locking %s on %s for restore...",
            "Finished locking %s on %s for restore.", "Error locking %s on %s."),
    RESTORE(Script.RESTORE, ErrorKind.RESTORE, "Restoring %s on %s...", "Finished restoring %s on %s.",
            "Error restoring %s on %s."),
    POST_RESTORE_UNLOCK(Script.POST_RESTORE_UNLOCK, ErrorKind.UNLOCK, "Unlocking %s on %s...",
            "Finished unlocking %s on %s.", "Error unlocking %s on %s.");

    private final Script script;
    private final ErrorKind errorKind;
    private final String starting;
    private final String finished;
    private final String failed;

    Phase(Script script, ErrorKind errorKind, String starting, String finished, String failed) {
        this.script = script;
        this.errorKind = errorKind;
        this.starting = starting;
        this.finished = finished;
        this.failed = failed;
    }

    public Script script() {
        return script;
    }

    public ErrorKind errorKind() {
        return errorKind;
    }

    String starting(String job, String instance) {
        return String.format(starting, job, instance);
    }

    String finished(String job, String instance) {
        return String.format(finished, job, instance);
    }

    String failed(String job, String instance) {
        return String.format(failed, job, instance);
    }

    /** {@code Error attempting to run backup for job J on G/ID: <cause>}. */
    String errorMessage(String job, String instance, String cause) {
        return "Error attempting to run " + script.fileName() + " for job " + job + " on " + instance + ": " + cause;
    }

    /** The {@code Running X scripts...} bracket line. */
    String phaseName() {
        return script.fileName();
    }
}
