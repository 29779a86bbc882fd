package dev.bbr.artifacts.retention;

import java.util.List;
import java.util.Objects;

/**
 * Keep or delete one backup, with every reason in words, each starting with the verdict it supports
 * ({@code keep: daily 2026-12-05}, {@code delete: not selected by any policy}); {@code --dry-run} prints them.
 */
public record RetentionDecision(BackupRef backup, boolean keep, List<String> reasons) {
    public RetentionDecision {
        Objects.requireNonNull(backup, "backup");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a retention decision needs a reason");
        }
    }

    public boolean delete() {
        return !keep;
    }

    /** {@code redis/redis_20261205T100000Z: keep: newest complete backup, keep: daily 2026-12-05}. */
    @Override
    public String toString() {
        return backup.label() + ": " + String.join(", ", reasons);
    }
}
