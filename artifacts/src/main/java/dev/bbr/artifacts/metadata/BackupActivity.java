package dev.bbr.artifacts.metadata;

import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code backup_activity}: start and finish time as the raw strings found in / written to the file.
 *
 * <p>Kept raw because bbr writes them in the jumpbox's local zone with an abbreviation
 * ({@code 2024/01/02 15:04:05 CET}); abbreviations are ambiguous, so parsing them back could only lose
 * information. Use {@link MetadataTime} to produce them.
 */
public final class BackupActivity {
    private final String startTime;
    private final String finishTime;

    public BackupActivity(String startTime, String finishTime) {
        this.startTime = Objects.requireNonNull(startTime, "startTime");
        this.finishTime = finishTime;
    }

    public static BackupActivity startedAt(ZonedDateTime start) {
        return new BackupActivity(MetadataTime.format(start), null);
    }

    public String startTime() {
        return startTime;
    }

    /** Empty until the backup run has written its finish time. */
    public Optional<String> finishTime() {
        return Optional.ofNullable(finishTime);
    }

    public BackupActivity finishedAt(ZonedDateTime finish) {
        return new BackupActivity(startTime, MetadataTime.format(finish));
    }

    public BackupActivity withoutFinishTime() {
        return new BackupActivity(startTime, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupActivity other
                && startTime.equals(other.startTime) && Objects.equals(finishTime, other.finishTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startTime, finishTime);
    }

    @Override
    public String toString() {
        return "BackupActivity[" + startTime + " → " + finishTime + "]";
    }
}
