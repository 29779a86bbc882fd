package dev.bbr.core.exec;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.Failures;
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
 *
 * <p>A task that throws instead of returning its errors (a defect, or a library's unchecked
 * exception) does not escape: it becomes an error of the run of the kind the caller names, so the
 * steps after it (unlock, cleanup) still run and the exit code still tells what failed.
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
        return runLevels(levels, ErrorKind.GENERAL);
    }

    /** As {@link #runLevels(List)}; a task that throws yields an error of {@code unexpected} kind. */
    public List<BbrError> runLevels(List<List<Task>> levels, ErrorKind unexpected) {
        List<BbrError> errors = new ArrayList<>();
        for (List<Task> level : levels) {
            errors.addAll(runLevel(level, unexpected));
        }
        return errors;
    }

    public List<BbrError> runLevel(List<Task> level) {
        return runLevel(level, ErrorKind.GENERAL);
    }

    /** As {@link #runLevel(List)}; a task that throws yields an error of {@code unexpected} kind. */
    public List<BbrError> runLevel(List<Task> level, ErrorKind unexpected) {
        if (level.isEmpty()) {
            return List.of();
        }
        if (maxInFlight == 1 || level.size() == 1) {
            List<BbrError> errors = new ArrayList<>();
            for (Task task : level) {
                if (!cancellation.isCancelled()) {
                    errors.addAll(guarded(task, unexpected));
                }
            }
            return errors;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(maxInFlight, level.size()), namedThreads());
        try {
            List<Future<List<BbrError>>> futures = new ArrayList<>();
            for (Task task : level) {
                futures.add(pool.submit(() -> cancellation.isCancelled() ? List.<BbrError>of()
                        : guarded(task, unexpected)));
            }
            List<BbrError> errors = new ArrayList<>();
            for (Future<List<BbrError>> future : futures) {
                errors.addAll(await(future, unexpected));
            }
            return errors;
        } finally {
            pool.shutdown();
        }
    }

    /** Runs a task; whatever it throws becomes one error of the run (never a second exception). */
    static List<BbrError> guarded(Task task, ErrorKind unexpected) {
        try {
            List<BbrError> errors = task.run();
            return errors == null ? List.of() : errors;
        } catch (RuntimeException | Error e) {
            // even an OutOfMemoryError in one drain must not skip the unlock that follows
            return List.of(unexpectedFailure(unexpected, e));
        }
    }

    /** The error recorded for a task that threw. */
    public static BbrError unexpectedFailure(ErrorKind kind, Throwable e) {
        return BbrError.of(kind, "unexpected error: " + Failures.describe(e), e);
    }

    private static List<BbrError> await(Future<List<BbrError>> future, ErrorKind unexpected) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    // keep waiting: remote scripts are running and their outcome (locked or not) matters
                    interrupted = true;
                } catch (ExecutionException e) {
                    // guarded() catches what the task throws; this is only a safety net
                    return List.of(unexpectedFailure(unexpected, e.getCause()));
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
