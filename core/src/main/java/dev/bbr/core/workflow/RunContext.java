package dev.bbr.core.workflow;

import dev.bbr.core.drain.ProgressReporter;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import java.time.Clock;

/**
 * What one run of a workflow is given besides the operator's options: where its events go, how it
 * is stopped, how transfers report progress, the clock, the thread policy, and the run's id (it tags
 * the run's events and its stoppable remote commands).
 */
public record RunContext(String runId, Log log, Cancellation cancellation, ProgressReporter progress, Clock clock,
        Workers workers) {

    /** A fresh run id: 32 hex digits. */
    public static String newRunId() {
        return RemoteStop.newRunId();
    }
}
