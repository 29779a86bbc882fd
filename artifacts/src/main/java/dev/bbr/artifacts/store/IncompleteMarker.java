package dev.bbr.artifacts.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@value #FILE_NAME} file: present while a backup is being written and after it failed, removed
 * only when the run completes. Its presence is what makes a partial directory look unfinished to our
 * restore (Go bbr never writes it and ignores it).
 *
 * <p>Plain text, first line fixed for humans, then {@code key: value} lines for tools.
 */
public final class IncompleteMarker {
    public static final String FILE_NAME = "BACKUP-INCOMPLETE";
    public static final String HEADLINE = "This backup is incomplete and must not be restored.";

    private IncompleteMarker() {
    }

    public static byte[] inProgress(Instant since) {
        return render("in-progress", "backup still running (or the process died before finishing)", since);
    }

    public static byte[] failed(String reason, Instant at) {
        return render("failed", reason, at);
    }

    private static byte[] render(String status, String reason, Instant at) {
        // One line per field: reasons may be multi-line error reports, so continuation lines are indented.
        String text = HEADLINE + "\n"
                + "status: " + status + "\n"
                + "time: " + at + "\n"
                + "reason: " + reason.strip().replace("\n", "\n  ") + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The reason recorded in a marker file, for error messages; falls back to the whole text. */
    public static String describe(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        Optional<String> status = field(text, "status: ");
        Optional<String> reason = field(text, "reason: ");
        if (status.isPresent() && reason.isPresent()) {
            return status.get() + ": " + reason.get();
        }
        return text.strip();
    }

    private static Optional<String> field(String text, String prefix) {
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return Optional.of(line.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }
}
