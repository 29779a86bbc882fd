package dev.bbr.director.task;

import dev.bbr.director.TaskFailedException;
import dev.bbr.director.TaskTimeoutException;
import dev.bbr.director.http.ApiRequest;
import dev.bbr.director.http.ApiResponse;
import dev.bbr.director.http.Backoff;
import dev.bbr.director.http.DebugLog;
import dev.bbr.director.http.DirectorHttp;
import dev.bbr.director.http.Sleeper;
import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * Waits for a Director task and returns its result output, following bosh-cli's sequence:
 * {@code GET /tasks/N} → {@code GET .../output?type=event} (Range) → sleep → ... → on
 * {@code done} {@code GET .../output?type=result}.
 *
 * <p>Differences from bosh-cli, on purpose: the poll interval grows (500 ms → 2 s) so a slow
 * task does not cost two requests per second for minutes, and there is an overall deadline so a
 * wedged task cannot hang bbr forever.
 */
public final class TaskTracker {
    private final DirectorHttp http;
    private final Backoff polling;
    private final Duration timeout;
    private final DebugLog log;
    private final Sleeper sleeper;

    public TaskTracker(DirectorHttp http, Backoff polling, Duration timeout, DebugLog log,
            Sleeper sleeper) {
        this.http = http;
        this.polling = polling;
        this.timeout = timeout;
        this.log = log;
        this.sleeper = sleeper;
    }

    /**
     * Waits for the task described by {@code taskResponse} (the document the creating request
     * redirected to) and returns its result text ("" when there is none).
     *
     * @throws TaskFailedException if the task ends in error/cancelled/timeout
     * @throws TaskTimeoutException if it is still running when the deadline passes
     */
    public String awaitResult(ApiResponse taskResponse) {
        long id = TaskStatus.from(taskResponse).id();
        HttpUrl taskUrl = http.url().addPathSegment("tasks").addPathSegment(Long.toString(id))
                .build();
        EventLogTail events = new EventLogTail(http, id, log);
        long deadline = System.nanoTime() + timeout.toNanos();

        TaskStatus status;
        for (int poll = 1; ; poll++) {
            status = TaskStatus.from(http.call(ApiRequest.get(taskUrl)));
            events.poll();
            if (!status.running()) {
                break;
            }
            Duration delay = polling.delay(poll);
            if (System.nanoTime() + delay.toNanos() - deadline > 0) {
                throw new TaskTimeoutException(id, status.state(), taskUrl.toString(), timeout);
            }
            log.log(String.format("Task %d is %s; polling again in %d ms", id, status.state(),
                    delay.toMillis()));
            sleeper.sleep(delay);
        }
        events.finish();
        if (!status.succeeded()) {
            throw new TaskFailedException(id, status.state(), status.description(),
                    status.result(), events.lastError());
        }
        HttpUrl resultUrl = taskUrl.newBuilder().addPathSegment("output")
                .addQueryParameter("type", "result").build();
        ApiResponse result = http.call(ApiRequest.get(resultUrl));
        return result.status() == 204 ? "" : result.text();
    }
}
