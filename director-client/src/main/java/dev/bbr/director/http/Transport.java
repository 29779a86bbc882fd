package dev.bbr.director.http;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Executes single HTTP exchanges with bounded retries and the debug trace.
 *
 * <p>Retry rules (why): idempotent requests are replayed on any transport failure and on
 * 502/503/504 (nginx in front of a restarting Director); non-idempotent ones (ssh setup POSTs,
 * which create users) only when the connection was never established, because a replay after
 * the bytes left could create a second task. Certificate failures are never retried.
 */
public final class Transport {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Set<Integer> RETRYABLE_STATUS = Set.of(502, 503, 504);

    private final OkHttpClient client;
    private final RetryPolicy retry;
    private final TransportErrors errors;
    private final DebugLog log;
    private final Sleeper sleeper;

    public Transport(OkHttpClient client, RetryPolicy retry, TransportErrors errors, DebugLog log,
            Sleeper sleeper) {
        this.client = client;
        this.retry = retry;
        this.errors = errors;
        this.log = log;
        this.sleeper = sleeper;
    }

    /**
     * Sends {@code request} with the given Authorization value (null = anonymous).
     *
     * @throws dev.bbr.director.DirectorConnectionException when no response could be obtained
     */
    public ApiResponse send(ApiRequest request, String authorization) {
        return send(request, authorization, null);
    }

    /** As {@link #send(ApiRequest, String)} but with a ready-made (e.g. form) body. */
    public ApiResponse send(ApiRequest request, String authorization, RequestBody explicitBody) {
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            try {
                ApiResponse response = execute(request, authorization, explicitBody);
                log.log(String.format("Received %d from %s '%s' in %d ms (%d bytes)",
                        response.status(), request.method(), request.url(),
                        (System.nanoTime() - start) / 1_000_000, response.body().length));
                if (request.idempotent() && RETRYABLE_STATUS.contains(response.status())
                        && attempt < retry.maxAttempts()) {
                    pause(request, attempt, "status " + response.status());
                    continue;
                }
                return response;
            } catch (IOException e) {
                var failure = errors.describe(request, e);
                log.log(String.format("%s '%s' failed after %d ms: %s", request.method(),
                        request.url(), (System.nanoTime() - start) / 1_000_000,
                        failure.getMessage()));
                if (!mayRetry(request, e) || attempt >= retry.maxAttempts()) {
                    throw failure;
                }
                pause(request, attempt, e.getClass().getSimpleName());
            }
        }
    }

    private boolean mayRetry(ApiRequest request, IOException e) {
        if (TransportErrors.isVerificationFailure(e) || Thread.currentThread().isInterrupted()) {
            return false;
        }
        return request.idempotent() || TransportErrors.requestNeverSent(e);
    }

    private void pause(ApiRequest request, int attempt, String why) {
        var delay = retry.backoff().delay(attempt);
        log.log(String.format("Retrying %s '%s' after %s in %d ms (attempt %d of %d)",
                request.method(), request.url(), why, delay.toMillis(), attempt + 1,
                retry.maxAttempts()));
        sleeper.sleep(delay);
    }

    private ApiResponse execute(ApiRequest request, String authorization, RequestBody explicitBody)
            throws IOException {
        RequestBody body = explicitBody;
        if (body == null && request.jsonBody() != null) {
            body = RequestBody.create(request.jsonBody(), JSON);
        }
        Request.Builder builder = new Request.Builder().url(request.url()).method(request.method(),
                body == null && requiresBody(request.method()) ? RequestBody.create(new byte[0]) : body);
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            builder.header(h.getKey(), h.getValue());
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        log.log(String.format("Sending %s request to endpoint '%s'%s", request.method(),
                request.url(), describeHeaders(request, authorization)));
        try (Response response = client.newCall(builder.build()).execute()) {
            ResponseBody rb = response.body();
            byte[] bytes = rb == null ? new byte[0] : rb.bytes();
            return new ApiResponse(request.method(), request.url().toString(), response.code(),
                    response.headers(), bytes);
        }
    }

    private static boolean requiresBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** Header names (and harmless values like Range); Authorization value is never printed. */
    private static String describeHeaders(ApiRequest request, String authorization) {
        StringBuilder sb = new StringBuilder();
        if (authorization != null) {
            int space = authorization.indexOf(' ');
            String scheme = space > 0 ? authorization.substring(0, space) : "?";
            sb.append(" Authorization: ").append(scheme).append(" [REDACTED]");
        }
        request.headers().forEach((k, v) -> sb.append(' ').append(k).append(": ").append(v));
        return sb.length() == 0 ? "" : " with headers" + sb;
    }
}
