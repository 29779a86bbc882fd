package dev.bbr.service.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbr.service.config.ServiceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs the notification's JSON body. A connection failure, a timeout, a 5xx or a 429 is retried,
 * {@code attempts} times in all with the back-off doubling in between; any other answer but 2xx is
 * final. The URL may hold a secret (chat webhooks do), so messages never show it.
 */
public final class WebhookNotifier implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceConfig.Webhook config;
    private final HttpClient client;
    private final Pause pause;

    public WebhookNotifier(ServiceConfig.Webhook config, Pause pause) {
        this.config = config;
        this.pause = pause;
        this.client = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String channel() {
        return "webhook";
    }

    @Override
    public void send(Notification notification) throws NotifyException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(notification.body());
        } catch (JsonProcessingException e) {
            throw new NotifyException("the notification could not be written as JSON", 0, e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url().reveal())).timeout(config.timeout())
                .header("Content-Type", "application/json").header("User-Agent", "bbr-service")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        Duration backoff = config.backoff();
        String last = "";
        Exception cause = null;
        for (int attempt = 1; attempt <= config.attempts(); attempt++) {
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return;
                }
                last = "the webhook answered HTTP " + status;
                cause = null;
                if (status != 429 && status / 100 != 5) {
                    throw new NotifyException(last, attempt, null);
                }
            } catch (IOException e) {
                last = "the webhook could not be reached: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " (" + redact(e.getMessage()) + ")");
                cause = null; // its message may name the URL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotifyException("interrupted while notifying", attempt, e);
            }
            if (attempt < config.attempts()) {
                try {
                    pause.pause(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NotifyException(last + "; interrupted before retrying", attempt, cause);
                }
                backoff = backoff.multipliedBy(2);
            }
        }
        throw new NotifyException(last + " (" + config.attempts() + " attempts)", config.attempts(), cause);
    }

    private String redact(String message) {
        return message.replace(config.url().reveal(), "<webhook url>");
    }
}
