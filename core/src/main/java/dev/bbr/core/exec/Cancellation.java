package dev.bbr.core.exec;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set when the operator stops a run (SIGINT answered yes, SIGTERM, SIGHUP). Work that has not
 * started is skipped; unlock and cleanup still run for what was locked.
 */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
