package dev.bbr.core.workflow;

import dev.bbr.core.errors.ErrorReport;
import java.nio.file.Path;

/**
 * How a workflow ended.
 *
 * @param report    every error collected (empty on success)
 * @param artifact  the backup directory, when one was created
 * @param cancelled the operator stopped the run
 */
public record RunResult(ErrorReport report, Path artifact, boolean cancelled) {
    public boolean succeeded() {
        return report.isEmpty() && !cancelled;
    }
}
