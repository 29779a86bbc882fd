package dev.bbr.core.workflow;

/**
 * What the operator asked of a backup.
 *
 * @param withManifest   write {@code manifest.yml} (it holds credentials; only on request)
 * @param unsafeLockFree skip pre-backup-lock and post-backup-unlock
 * @param maxInFlight    how many scripts and transfers run at once
 * @param bbrVersion     passed to metadata scripts as BBR_VERSION
 * @param minFreeSpace   bytes the drain must leave free where the backup is stored (checked before
 *                       the first byte); {@link #NO_SPACE_CHECK} skips the check
 */
public record BackupOptions(boolean withManifest, boolean unsafeLockFree, int maxInFlight, String bbrVersion,
        long minFreeSpace) {

    /** {@code --min-free-space}'s default: 1 GiB stays free for the rest of the jumpbox. */
    public static final long DEFAULT_MIN_FREE_SPACE = 1L << 30;
    /** {@code --min-free-space off}. */
    public static final long NO_SPACE_CHECK = -1;

    public BackupOptions(boolean withManifest, boolean unsafeLockFree, int maxInFlight, String bbrVersion) {
        this(withManifest, unsafeLockFree, maxInFlight, bbrVersion, DEFAULT_MIN_FREE_SPACE);
    }
}
