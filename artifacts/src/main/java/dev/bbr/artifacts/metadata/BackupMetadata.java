package dev.bbr.artifacts.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The model of bbr's {@code metadata} file. Immutable: every change returns a new instance, so the
 * drain can do bbr's "read-modify-write under a mutex" by swapping one reference.
 *
 * <p>List order is preserved (bbr appends artifacts in completion order); the writer sorts only the
 * checksum maps, exactly like yaml.v2.
 */
public final class BackupMetadata {
    private static final BackupMetadata EMPTY = new BackupMetadata(List.of(), List.of(), null);

    private final List<InstanceMetadata> instances;
    private final List<ArtifactChecksums> customArtifacts;
    private final BackupActivity backupActivity;

    public BackupMetadata(List<InstanceMetadata> instances, List<ArtifactChecksums> customArtifacts,
                          BackupActivity backupActivity) {
        this.instances = List.copyOf(instances);
        this.customArtifacts = List.copyOf(customArtifacts);
        this.backupActivity = backupActivity;
    }

    public static BackupMetadata empty() {
        return EMPTY;
    }

    /** What bbr writes when it creates the artifact directory: no artifacts, only the start time. */
    public static BackupMetadata started(BackupActivity activity) {
        return new BackupMetadata(List.of(), List.of(), Objects.requireNonNull(activity, "activity"));
    }

    public List<InstanceMetadata> instances() {
        return instances;
    }

    public List<ArtifactChecksums> customArtifacts() {
        return customArtifacts;
    }

    /** Absent in old bbr artifacts (and in bbr's own test fixtures). */
    public Optional<BackupActivity> backupActivity() {
        return Optional.ofNullable(backupActivity);
    }

    /**
     * Appends a job's artifact to instance {@code name}/{@code index}, creating the instance entry on
     * first use (bbr groups artifacts by instance in the order instances first completed).
     */
    public BackupMetadata withInstanceArtifact(String instanceName, String index, ArtifactChecksums artifact) {
        List<InstanceMetadata> copy = new ArrayList<>(instances);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).is(instanceName, index)) {
                copy.set(i, copy.get(i).withArtifact(artifact));
                return new BackupMetadata(copy, customArtifacts, backupActivity);
            }
        }
        copy.add(new InstanceMetadata(instanceName, index, List.of(artifact)));
        return new BackupMetadata(copy, customArtifacts, backupActivity);
    }

    public BackupMetadata withCustomArtifact(ArtifactChecksums artifact) {
        List<ArtifactChecksums> copy = new ArrayList<>(customArtifacts);
        copy.add(artifact);
        return new BackupMetadata(instances, copy, backupActivity);
    }

    public BackupMetadata withBackupActivity(BackupActivity activity) {
        return new BackupMetadata(instances, customArtifacts, activity);
    }

    /** Finds the checksums recorded for one instance job, as restore does to verify an upload. */
    public Optional<ArtifactChecksums> instanceArtifact(String instanceName, String index, String jobName) {
        return instances.stream()
                .filter(i -> i.is(instanceName, index))
                .flatMap(i -> i.artifacts().stream())
                .filter(a -> a.name().equals(jobName))
                .findFirst();
    }

    public Optional<ArtifactChecksums> customArtifact(String name) {
        return customArtifacts.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupMetadata other
                && instances.equals(other.instances)
                && customArtifacts.equals(other.customArtifacts)
                && Objects.equals(backupActivity, other.backupActivity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(instances, customArtifacts, backupActivity);
    }

    @Override
    public String toString() {
        return "BackupMetadata[instances=" + instances + ", custom=" + customArtifacts + ", activity=" + backupActivity + "]";
    }
}
