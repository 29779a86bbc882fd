package dev.bbr.director;

import java.time.Duration;

/**
 * The client gave up waiting for a task that was still queued/processing. bosh-cli waits forever;
 * we bound it so a wedged Director cannot hang a backup indefinitely. The task itself is left
 * running on the Director.
 */
public class TaskTimeoutException extends DirectorException {
    private static final long serialVersionUID = 1L;

    private final long taskId;
    private final String lastState;

    public TaskTimeoutException(long taskId, String lastState, String taskUrl, Duration timeout) {
        super(String.format("Timed out after %s waiting for task '%d' (%s) to finish; last state '%s'",
                human(timeout), taskId, taskUrl, lastState));
        this.taskId = taskId;
        this.lastState = lastState;
    }

    private static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    public long taskId() {
        return taskId;
    }

    public String lastState() {
        return lastState;
    }
}
