package dev.bbr.core.workflow;

/**
 * What the operator asked of a restore.
 *
 * @param maxInFlight how many uploads and scripts run at once; 1 restores one job at a time, as
 *                    the Go bbr does
 * @param bbrVersion  passed to metadata scripts as BBR_VERSION
 */
public record RestoreOptions(int maxInFlight, String bbrVersion) {}
