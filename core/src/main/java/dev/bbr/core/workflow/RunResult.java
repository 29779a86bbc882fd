package dev.bbr.core.workflow;

import dev.bbr.core.errors.ErrorReport;

/**
 * How a workflow ended.
 *
 * @param report    every error collected (empty on success)
 * @param artifact  where the backup was written (as the operator names the location), when one was created
 * @param cancelled the operator stopped the run
 */
public record RunResult(ErrorReport report, String artifact, boolean cancelled) {
    public boolean succeeded() {
        return report.isEmpty() && !cancelled;
    }
}
