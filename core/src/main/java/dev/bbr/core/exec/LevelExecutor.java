package dev.bbr.core.exec;

import dev.bbr.core.errors.BbrError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs levels of work in order; items of one level run together, at most {@code maxInFlight} at a
 * time. Like bbr's executor it never short-circuits: every item of every level runs, and all
 * errors are returned. (Only cancellation skips work that has not started.)
 */
public final class LevelExecutor {
    private final int maxInFlight;
    private final Cancellation cancellation;

    public LevelExecutor(int maxInFlight, Cancellation cancellation) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.maxInFlight = maxInFlight;
        this.cancellation = cancellation;
    }

    /** One item of work: returns its errors (empty on success). */
    @FunctionalInterface
    public interface Task {
        List<BbrError> run();
    }

    public List<BbrError> runLevels(List<List<Task>> levels) {
        List<BbrError> errors = new ArrayList<>();
        for (List<Task> level : levels) {
            errors.addAll(runLevel(level));
        }
        return errors;
    }

    public List<BbrError> runLevel(List<Task> level) {
        if (level.isEmpty()) {
            return List.of();
        }
        if (maxInFlight == 1 || level.size() == 1) {
            List<BbrError> errors = new ArrayList<>();
            for (Task task : level) {
                if (!cancellation.isCancelled()) {
                    errors.addAll(task.run());
                }
            }
            return errors;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(maxInFlight, level.size()), namedThreads());
        try {
            List<Future<List<BbrError>>> futures = new ArrayList<>();
            for (Task task : level) {
                futures.add(pool.submit(() -> cancellation.isCancelled() ? List.<BbrError>of() : task.run()));
            }
            List<BbrError> errors = new ArrayList<>();
            for (Future<List<BbrError>> future : futures) {
                errors.addAll(await(future));
            }
            return errors;
        } finally {
            pool.shutdown();
        }
    }

    private static List<BbrError> await(Future<List<BbrError>> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    // keep waiting: remote scripts are running and their outcome (locked or not) matters
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("task failed unexpectedly", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "bbr-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
