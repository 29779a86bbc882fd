package dev.bbr.core.exec;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.Failures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
    private final Workers workers;

    public LevelExecutor(int maxInFlight, Cancellation cancellation) {
        this(maxInFlight, cancellation, Workers.shared());
    }

    public LevelExecutor(int maxInFlight, Cancellation cancellation, Workers workers) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.maxInFlight = maxInFlight;
        this.cancellation = cancellation;
        this.workers = workers;
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

    /**
     * As {@link #runLevel(List)}; a task that throws yields an error of {@code unexpected} kind.
     * At most {@code maxInFlight} runners take tasks from the level in order, on the shared workers.
     */
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
        List<List<BbrError>> results = new ArrayList<>(Collections.nCopies(level.size(), List.<BbrError>of()));
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> runners = new ArrayList<>();
        for (int r = 0; r < Math.min(maxInFlight, level.size()); r++) {
            runners.add(workers.executor().submit(() -> {
                for (int i = next.getAndIncrement(); i < level.size(); i = next.getAndIncrement()) {
                    if (!cancellation.isCancelled()) {
                        results.set(i, guarded(level.get(i), unexpected));
                    }
                }
            }));
        }
        for (Future<?> runner : runners) {
            await(runner);
        }
        List<BbrError> errors = new ArrayList<>();
        results.forEach(errors::addAll);
        return errors;
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

    /** Waits for a runner; an interrupt does not stop the wait: remote work is running and its outcome matters. */
    private static void await(Future<?> runner) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    runner.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return; // runners catch what tasks throw (guarded); nothing else can fail here
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
