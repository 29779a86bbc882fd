package dev.bbr.core.exec;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread policy of a run: every parallel piece of work (script levels, drains and their
 * checksum sessions, connects, deployments, stops) runs on this executor. How much runs at once is
 * bounded where the work is scheduled ({@link LevelExecutor}'s {@code maxInFlight}), not by the
 * pool, so one shared pool serves callers with different limits without deadlocking them.
 */
public interface Workers {

    ExecutorService executor();

    /**
     * Daemon threads named {@code bbr-worker-N}, created on demand and kept 30 s when idle: a stuck
     * remote command never keeps the JVM alive after the run ended.
     */
    static Workers daemonPool() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "bbr-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return () -> pool;
    }

    /** A process-wide default for callers that were not given one (tests, tools). */
    static Workers shared() {
        return Holder.SHARED;
    }

    /** Lazily created shared pool. */
    final class Holder {
        private static final Workers SHARED = daemonPool();

        private Holder() {}
    }
}
