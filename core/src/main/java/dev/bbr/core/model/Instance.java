package dev.bbr.core.model;

import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.core.remote.RemoteShell;
import java.util.List;

/**
 * One VM of the deployment that bbr works on, reached through one remote shell.
 *
 * @param group     instance group name (e.g. {@code redis}); {@code bosh} in director mode
 * @param index     VM index as a string, as it appears in metadata
 * @param id        instance id (UUID); {@code 0} in director mode
 * @param bootstrap whether the Director marked it bootstrap
 * @param jobs      the enabled jobs with bbr scripts
 * @param shell     commands run here
 * @param artifactRootPresent whether {@link RemoteLayout#ARTIFACT_ROOT} was there when discovery
 *                  looked (the pre-checks of backup and restore refuse such an instance)
 */
public record Instance(String group, String index, String id, boolean bootstrap, List<Job> jobs, RemoteShell shell,
        boolean artifactRootPresent) {

    /** An instance whose artifact root was not there. */
    public Instance(String group, String index, String id, boolean bootstrap, List<Job> jobs, RemoteShell shell) {
        this(group, index, id, bootstrap, jobs, shell, false);
    }

    /** {@code group/id}, the way bbr names an instance in messages. */
    public String identifier() {
        return group + "/" + id;
    }

    public boolean hasScript(Script script) {
        return jobs.stream().anyMatch(j -> j.has(script));
    }

    /**
     * The artifact a job leaves from this instance: its own ({@code group/index/job}), or on the
     * bootstrap instance of a backup_one_restore_all job the custom artifact.
     */
    public ArtifactId artifactId(Job job) {
        return isCustomArtifact(job) ? ArtifactId.custom(job.customArtifactName())
                : ArtifactId.of(group, index, job.name());
    }

    /** Whether this job's artifact on this instance is the custom backup_one_restore_all one. */
    public boolean isCustomArtifact(Job job) {
        return job.backupOneRestoreAll() && bootstrap;
    }

    /** Remote directory a job's artifact lives in during backup or restore. */
    public String artifactDirectory(Job job) {
        return RemoteLayout.ARTIFACT_ROOT + "/" + (isCustomArtifact(job) ? job.customArtifactName() : job.name());
    }
}
