package dev.bbr.app;

/**
 * {@code restore}: what the operator asked.
 *
 * @param artifactLocation the backup itself ({@code --artifact-path}, e.g. {@code /backups/redis_20261122T101500Z})
 * @param maxInFlight      uploads and scripts at once (1 restores one job at a time, as the Go bbr)
 */
public record RestoreRequest(Target target, String artifactLocation, int maxInFlight) {}
