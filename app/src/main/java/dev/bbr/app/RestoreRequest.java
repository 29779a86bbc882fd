package dev.bbr.app;

import java.util.List;

/**
 * {@code restore}: what the operator asked.
 *
 * @param artifactLocation the backup itself ({@code --artifact-path}, e.g. {@code /backups/redis_20261122T101500Z})
 * @param maxInFlight      uploads and scripts at once (1 restores one job at a time, as the Go bbr)
 * @param identityFiles    age identity files ({@code --identity}) for an encrypted backup
 */
public record RestoreRequest(Target target, String artifactLocation, int maxInFlight, List<String> identityFiles) {

    public RestoreRequest {
        identityFiles = List.copyOf(identityFiles);
    }

    public RestoreRequest(Target target, String artifactLocation, int maxInFlight) {
        this(target, artifactLocation, maxInFlight, List.of());
    }
}
