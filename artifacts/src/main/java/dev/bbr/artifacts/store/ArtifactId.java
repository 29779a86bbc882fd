package dev.bbr.artifacts.store;

import java.util.Objects;

/**
 * One artifact of a backup, named logically: a job's artifact on one instance ({@code group},
 * {@code index}, {@code job}), or a custom artifact (backup_one_restore_all) by its name. How it is
 * stored (bbr's {@code <group>-<index>-<job>.tar}) is the store's business: see {@link BbrLayout}.
 */
public record ArtifactId(String group, String index, String job, String customName) {

    public ArtifactId {
        if (customName == null) {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(index, "index");
            Objects.requireNonNull(job, "job");
        } else if (group != null || index != null || job != null) {
            throw new IllegalArgumentException("a custom artifact has only a name");
        }
    }

    /** A job's artifact on one instance. */
    public static ArtifactId of(String group, String index, String job) {
        return new ArtifactId(group, index, job, null);
    }

    /** A custom artifact (bbr's backup_one_restore_all: {@code <job>-<release>-backup-one-restore-all}). */
    public static ArtifactId custom(String name) {
        return new ArtifactId(null, null, null, Objects.requireNonNull(name, "name"));
    }

    public boolean isCustom() {
        return customName != null;
    }

    /** The artifact's name in bbr's metadata: the job, or the custom name. */
    public String name() {
        return isCustom() ? customName : job;
    }

    /** How bbr names the artifact's owner in messages: {@code group/index}, or {@code custom artifact}. */
    public String owner() {
        return isCustom() ? "custom artifact" : group + "/" + index;
    }

    @Override
    public String toString() {
        return isCustom() ? customName : group + "/" + index + "/" + job;
    }
}
