package dev.bbr.core.workflow;

/**
 * What the operator asked of a backup.
 *
 * @param withManifest   write {@code manifest.yml} (it holds credentials; only on request)
 * @param unsafeLockFree skip pre-backup-lock and post-backup-unlock
 * @param maxInFlight    how many scripts and transfers run at once
 * @param bbrVersion     passed to metadata scripts as BBR_VERSION
 */
public record BackupOptions(boolean withManifest, boolean unsafeLockFree, int maxInFlight, String bbrVersion) {}
