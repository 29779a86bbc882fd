package dev.bbr.core.discovery;

/** What bbr reads from the deployment manifest about each job. */
public interface ManifestInfo {
    /** The job's release, or "" when the manifest does not say (bbr then warns). */
    String releaseOf(String group, String job);

    /** {@code properties.bbr.backup_one_restore_all: true} on the job. */
    boolean backupOneRestoreAll(String group, String job);

    /** Director mode: no manifest, no releases. */
    ManifestInfo NONE = new ManifestInfo() {
        @Override
        public String releaseOf(String group, String job) {
            return "";
        }

        @Override
        public boolean backupOneRestoreAll(String group, String job) {
            return false;
        }
    };
}
