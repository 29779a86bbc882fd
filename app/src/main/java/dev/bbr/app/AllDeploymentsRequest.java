package dev.bbr.app;

import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.store.Layout;
import java.util.List;

/**
 * {@code --all-deployments}: one operation for every deployment the Director lists.
 *
 * @param artifactLocation backups and their log files (backup only; empty: the working directory)
 * @param maxDeployments   deployments at once
 * @param codec            how backups are stored (plain unless asked)
 * @param identityFiles    restore: age identity files for encrypted backups
 * @param skipMissing      restore: restore the deployments that have a backup, skip the others
 * @param layout           backup: where each backup goes under a remote location
 * @param minFreeSpace     backup: bytes the artifact path must keep free after the drain (local paths only)
 */
public record AllDeploymentsRequest(DirectorLogin director, Operation operation, String artifactLocation,
        boolean withManifest, int maxInFlight, int maxDeployments, ArtifactCodec codec, List<String> identityFiles,
        boolean skipMissing, Layout layout, long minFreeSpace) {

    public AllDeploymentsRequest {
        identityFiles = List.copyOf(identityFiles);
    }

    /** A backup whose codec, layout and free-space margin were asked for. */
    public static AllDeploymentsRequest backup(DirectorLogin director, String artifactLocation, boolean withManifest,
            int maxInFlight, int maxDeployments, ArtifactCodec codec, Layout layout, long minFreeSpace) {
        return new AllDeploymentsRequest(director, Operation.BACKUP, artifactLocation, withManifest, maxInFlight,
                maxDeployments, codec, List.of(), false, layout, minFreeSpace);
    }

    public AllDeploymentsRequest(DirectorLogin director, Operation operation, String artifactLocation,
            boolean withManifest, int maxInFlight, int maxDeployments, ArtifactCodec codec) {
        this(director, operation, artifactLocation, withManifest, maxInFlight, maxDeployments, codec, List.of(),
                false, Layout.FLAT, dev.bbr.core.workflow.BackupOptions.DEFAULT_MIN_FREE_SPACE);
    }

    public AllDeploymentsRequest(DirectorLogin director, Operation operation, String artifactLocation,
            boolean withManifest, int maxInFlight, int maxDeployments) {
        this(director, operation, artifactLocation, withManifest, maxInFlight, maxDeployments, ArtifactCodec.PLAIN);
    }

    /** {@code --all-deployments restore --artifact-path DIR}: the newest complete backup of each deployment. */
    public static AllDeploymentsRequest restore(DirectorLogin director, String artifactLocation, int maxInFlight,
            int maxDeployments, List<String> identityFiles, boolean skipMissing) {
        return new AllDeploymentsRequest(director, Operation.RESTORE, artifactLocation, false, maxInFlight,
                maxDeployments, ArtifactCodec.PLAIN, identityFiles, skipMissing, Layout.FLAT,
                dev.bbr.core.workflow.BackupOptions.DEFAULT_MIN_FREE_SPACE);
    }

    /** The operations bbr runs for all deployments. */
    public enum Operation {
        BACKUP("backup", "backed up", "cannot be backed up"),
        PRE_BACKUP_CHECK("pre-backup-check", "can be backed up", "cannot be backed up"),
        BACKUP_CLEANUP("cleanup", "cleaned up", "could not be cleaned up"),
        /** bbr for Java only: Go bbr refuses --all-deployments restore. */
        RESTORE("restore", "restored", "cannot be restored");

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
