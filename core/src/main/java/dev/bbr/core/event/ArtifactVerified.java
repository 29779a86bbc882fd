package dev.bbr.core.event;

import java.util.Map;

/**
 * An artifact arrived whole: its bytes counted and every file's SHA-256 matched the other side
 * ({@code Finished validity checks -- for job redis on redis/0...} after a backup drain).
 *
 * @param files         regular files checksummed
 * @param checksumsHash SHA-256 over the sorted {@code <path> <sha256>} lines: one value for the whole set
 */
public record ArtifactVerified(String direction, String job, String instance, String artifact, long bytes,
        int files, String checksumsHash, String text) implements Event {
    @Override
    public Level level() {
        return Level.INFO;
    }

    @Override
    public String type() {
        return "artifact_verified";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("direction", direction, "job", job, "instance", instance, "artifact", artifact,
                "bytes", bytes, "files", files, "checksums_sha256", checksumsHash);
    }
}
