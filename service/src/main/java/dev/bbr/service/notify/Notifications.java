package dev.bbr.service.notify;

import dev.bbr.service.log.ServiceLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Hands notifications to every channel on a thread of its own, so a slow webhook never delays a job
 * or the schedule. A channel that fails is logged ({@code notification_failed}) and that is all: a
 * notification is never a reason for a job or the service to fail.
 */
public final class Notifications implements AutoCloseable {
    private final List<Notifier> channels;
    private final ServiceLog log;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bbr-service-notify");
        t.setDaemon(true);
        return t;
    });

    public Notifications(List<Notifier> channels, ServiceLog log) {
        this.channels = List.copyOf(channels);
        this.log = log;
    }

    public void send(Notification notification) {
        if (channels.isEmpty()) {
            return;
        }
        sender.execute(() -> deliver(notification));
    }

    private void deliver(Notification notification) {
        Object runId = notification.body().getOrDefault("run_id", "");
        for (Notifier channel : channels) {
            try {
                channel.send(notification);
                log.info("notification_sent", "Sent " + notification.event() + " by " + channel.channel(),
                        Map.of("channel", channel.channel(), "event", notification.event(), "job_run_id", runId));
            } catch (Notifier.NotifyException e) {
                log.warn("notification_failed", "Could not send " + notification.event() + " by " + channel.channel()
                        + ": " + e.getMessage(), Map.of("channel", channel.channel(), "event", notification.event(),
                                "attempts", e.attempts(), "error", e.getMessage(), "job_run_id", runId));
            } catch (RuntimeException e) {
                log.warn("notification_failed", "Could not send " + notification.event() + " by " + channel.channel()
                        + ": " + e, Map.of("channel", channel.channel(), "event", notification.event(),
                                "error", String.valueOf(e), "job_run_id", runId));
            }
        }
    }

    /** Delivers what is queued, for at most {@code wait}, then stops. */
    public void close(Duration wait) {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
