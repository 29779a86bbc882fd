package dev.bbr.director;

/**
 * A Director task ended in {@code error}, {@code cancelled} or {@code timeout}.
 *
 * <p>The message starts with bosh-cli's {@code Expected task '<id>' to succeed but state is
 * '<state>'} and adds what the Director told us (task description, its {@code result} field and
 * the {@code error.message} of the event log) because the bare bosh-cli text hides the reason.
 */
public class TaskFailedException extends DirectorException {
    private static final long serialVersionUID = 1L;

    private final long taskId;
    private final String state;
    private final String description;
    private final String result;
    private final String eventError;

    public TaskFailedException(long taskId, String state, String description, String result,
            String eventError) {
        super(buildMessage(taskId, state, description, result, eventError));
        this.taskId = taskId;
        this.state = state;
        this.description = description;
        this.result = result;
        this.eventError = eventError;
    }

    private static String buildMessage(long taskId, String state, String description,
            String result, String eventError) {
        StringBuilder sb = new StringBuilder(String.format(
                "Expected task '%d' to succeed but state is '%s'", taskId, state));
        if (description != null && !description.isEmpty()) {
            sb.append(" (task '").append(description).append("')");
        }
        // The event log error is the full message; the task result is a truncated copy of it.
        String reason = eventError != null && !eventError.isEmpty() ? eventError : result;
        if (reason != null && !reason.isEmpty()) {
            sb.append(": ").append(reason);
        }
        return sb.toString();
    }

    public long taskId() {
        return taskId;
    }

    /** Terminal state: error, cancelled or timeout. */
    public String state() {
        return state;
    }

    /** Task description as reported by the Director (may be null). */
    public String description() {
        return description;
    }

    /** The task's {@code result} field (often a truncated error message; may be null). */
    public String result() {
        return result;
    }

    /** {@code error.message} from the task's event log, if one was seen (may be null). */
    public String eventError() {
        return eventError;
    }
}
