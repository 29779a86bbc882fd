package dev.bbr.lab.director;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Creates tasks with increasing ids and runs their work off the HTTP thread. */
final class TaskStore implements AutoCloseable {
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, Task> tasks = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lab-task");
        t.setDaemon(true);
        return t;
    });

    Task create(String type, String description, String deployment, String user, int queuedPolls,
                int processingPolls, Consumer<Task> work) {
        Task t = new Task(nextId.getAndIncrement(), type, description, deployment, user, queuedPolls, processingPolls);
        tasks.put(t.id, t);
        workers.submit(() -> {
            try {
                work.accept(t);
            } catch (TaskFailure f) {
                t.fail(f.code, f.getMessage());
            } catch (RuntimeException e) {
                // a plain exception in a real Director job surfaces as code 100
                t.fail(100, String.valueOf(e.getMessage()));
            }
        });
        return t;
    }

    Task get(int id) {
        return tasks.get(id);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** A Director error raised inside a task, with its error code. */
    static final class TaskFailure extends RuntimeException {
        final int code;

        TaskFailure(int code, String message) {
            super(message);
            this.code = code;
        }
    }
}
