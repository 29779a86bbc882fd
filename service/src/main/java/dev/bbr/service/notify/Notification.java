package dev.bbr.service.notify;

import java.util.Map;

/**
 * What is told: a job that failed (or succeeded, when asked), or the daily digest.
 *
 * @param event   {@code job_failed}, {@code job_succeeded} or {@code digest}
 * @param subject one line (the email's subject)
 * @param text    for people (the email's body)
 * @param body    for machines (the webhook's JSON body)
 */
public record Notification(String event, String subject, String text, Map<String, Object> body) {
    public Notification {
        body = Map.copyOf(body);
    }
}
