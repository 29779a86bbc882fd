package dev.bbr.core.exec;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set when the operator stops a run (SIGINT answered yes, SIGTERM, SIGHUP). Work that has not
 * started is skipped; unlock and cleanup still run for what was locked. Work that is running can
 * register to be told (e.g. to stop the scripts running on the instances).
 *
 * <p>One cancellation may span several workflows ({@code --all-deployments}): the question is asked
 * once, and every deployment in flight stops.
 */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Cancels; the listeners run on their own thread, so a signal handler never waits for them. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            List<Runnable> toRun = List.copyOf(listeners);
            if (!toRun.isEmpty()) {
                Thread t = new Thread(() -> toRun.forEach(Cancellation::runQuietly), "bbr-cancel");
                t.setDaemon(true);
                t.start();
            }
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Runs {@code action} when the run is cancelled (at once, on the caller's thread, if it already
     * is) until the returned registration is closed.
     */
    public Registration onCancel(Runnable action) {
        // once only: a registration racing cancel() may see the flag set while cancel() already copied it
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                action.run();
            }
        };
        listeners.add(once);
        if (cancelled.get() && listeners.remove(once)) {
            runQuietly(once);
        }
        return () -> listeners.remove(once);
    }

    /** Ends an {@link #onCancel} registration. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            // stopping remote work is best effort: the run still unlocks and cleans up, and one failing
            // listener must not keep the others (other deployments' stops) from running
        }
    }
}
