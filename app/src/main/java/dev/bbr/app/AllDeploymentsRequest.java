package dev.bbr.app;

import dev.bbr.artifacts.codec.ArtifactCodec;

/**
 * {@code --all-deployments}: one operation for every deployment the Director lists.
 *
 * @param artifactLocation backups and their log files (backup only; empty: the working directory)
 * @param maxDeployments   deployments at once
 * @param codec            how backups are stored (plain unless asked)
 */
public record AllDeploymentsRequest(DirectorLogin director, Operation operation, String artifactLocation,
        boolean withManifest, int maxInFlight, int maxDeployments, ArtifactCodec codec, long minFreeSpace) {

    public AllDeploymentsRequest(DirectorLogin director, Operation operation, String artifactLocation,
            boolean withManifest, int maxInFlight, int maxDeployments, ArtifactCodec codec) {
        this(director, operation, artifactLocation, withManifest, maxInFlight, maxDeployments, codec,
                dev.bbr.core.workflow.BackupOptions.DEFAULT_MIN_FREE_SPACE);
    }

    public AllDeploymentsRequest(DirectorLogin director, Operation operation, String artifactLocation,
            boolean withManifest, int maxInFlight, int maxDeployments) {
        this(director, operation, artifactLocation, withManifest, maxInFlight, maxDeployments, ArtifactCodec.PLAIN);
    }

    /** The operations bbr runs for all deployments. */
    public enum Operation {
        BACKUP("backup", "backed up", "cannot be backed up"),
        PRE_BACKUP_CHECK("pre-backup-check", "can be backed up", "cannot be backed up"),
        BACKUP_CLEANUP("cleanup", "cleaned up", "could not be cleaned up");

        /** bbr's words: "Starting backup of d", "Successfully backed up:", "2 out of 3 deployments cannot be backed up". */
        public final String verb;
        public final String succeeded;
        public final String failedSummary;

        Operation(String verb, String succeeded, String failedSummary) {
            this.verb = verb;
            this.succeeded = succeeded;
            this.failedSummary = failedSummary;
        }
    }
}
