package dev.bbr.core.model;

import java.util.Optional;

/** The bbr scripts a job may ship under {@code /var/vcap/jobs/<job>/bin/bbr/}. */
public enum Script {
    BACKUP("backup"),
    RESTORE("restore"),
    PRE_BACKUP_LOCK("pre-backup-lock"),
    POST_BACKUP_UNLOCK("post-backup-unlock"),
    PRE_RESTORE_LOCK("pre-restore-lock"),
    POST_RESTORE_UNLOCK("post-restore-unlock"),
    METADATA("metadata");

    private final String fileName;

    Script(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    public static Optional<Script> byFileName(String name) {
        for (Script s : values()) {
            if (s.fileName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
