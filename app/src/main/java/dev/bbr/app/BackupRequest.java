package dev.bbr.app;

/**
 * {@code backup}: what the operator asked.
 *
 * @param artifactLocation where backups are written ({@code --artifact-path}; empty: the working directory)
 * @param withManifest     also write {@code manifest.yml} (it holds credentials)
 * @param unsafeLockFree   skip the lock and unlock scripts
 * @param maxInFlight      scripts and transfers at once
 */
public record BackupRequest(Target target, String artifactLocation, boolean withManifest, boolean unsafeLockFree,
        int maxInFlight) {}
