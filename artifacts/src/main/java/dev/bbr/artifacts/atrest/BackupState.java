package dev.bbr.artifacts.atrest;

/** How far a backup can be trusted, as {@code bbr artifacts list} shows it. */
public enum BackupState {
    /** It carries the incomplete marker: the run did not finish (or is still running). */
    INCOMPLETE,
    /** Finished: written by bbr for Java with its sidecar, or by Go bbr (no marker, metadata finished). */
    COMPLETE,
    /** Finished, and a deep {@code bbr artifacts verify} read every file and matched every checksum. */
    VERIFIED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
