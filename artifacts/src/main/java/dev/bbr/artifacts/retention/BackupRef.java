package dev.bbr.artifacts.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored backup as retention sees it. {@code complete} is true only for a backup that finished and
 * verified (no BACKUP-INCOMPLETE marker): only those count toward the keep quotas.
 */
public record BackupRef(String deployment, String name, Instant time, boolean complete) {
    public BackupRef {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(time, "time");
        if (deployment.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("a backup needs a deployment and a name: got '" + deployment + "' / '" + name + "'");
        }
    }

    /** {@code deployment/name}, how backups are named in messages. */
    public String label() {
        return deployment + "/" + name;
    }
}
