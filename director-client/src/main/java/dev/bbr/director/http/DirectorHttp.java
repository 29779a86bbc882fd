package dev.bbr.director.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.director.DirectorException;
import dev.bbr.director.DirectorResponseException;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Director-facing request execution: authentication with the retry-once-on-401 rule, manual
 * redirect following, and bosh-cli's success/failure classification.
 *
 * <p>Redirects are followed by hand because the Director's {@code Location} names whatever Host
 * header nginx saw; bosh-cli trusts only its path and query and always goes back to the
 * configured Director, which also guarantees credentials are never sent to a foreign host.
 */
public final class DirectorHttp {
    /** What bosh-cli treats as success. */
    static final Set<Integer> SUCCESS = Set.of(200, 201, 204, 206, 302);
    static final int MAX_REDIRECTS = 10;

    private final HttpUrl base;
    private final Transport transport;
    private final AuthScheme auth;
    private final DebugLog log;

    public DirectorHttp(HttpUrl base, Transport transport, AuthScheme auth, DebugLog log) {
        this.base = base;
        this.transport = transport;
        this.auth = auth;
        this.log = log;
    }

    /** Builder for a URL on the configured Director. */
    public HttpUrl.Builder url() {
        return base.newBuilder();
    }

    /** Sends the request, following redirects; throws on non-success statuses. */
    public ApiResponse call(ApiRequest request) {
        ApiResponse response = exchange(request);
        requireSuccess(response);
        return response;
    }

    /** Sends the request, following redirects, and returns whatever status came back. */
    public ApiResponse exchange(ApiRequest request) {
        ApiRequest current = request;
        for (int hop = 0; ; hop++) {
            ApiResponse response = sendAuthenticated(current);
            if (response.status() != 302 && response.status() != 303) {
                return response;
            }
            if (hop >= MAX_REDIRECTS) {
                throw new DirectorException(String.format(
                        "%s '%s': stopped after %d redirects", request.method(), request.url(),
                        MAX_REDIRECTS));
            }
            current = current.redirectTo(redirectTarget(current, response));
            log.log("Following redirect to '" + current.url() + "'");
        }
    }

    private HttpUrl redirectTarget(ApiRequest from, ApiResponse response) {
        String location = response.header("Location");
        HttpUrl resolved = location == null ? null : from.url().resolve(location);
        if (resolved == null) {
            throw new DirectorException(String.format(
                    "%s '%s' answered %d without a usable Location header", from.method(),
                    from.url(), response.status()));
        }
        // Only path and query are trusted; host and port stay those of the configured Director.
        return base.newBuilder()
                .encodedPath(resolved.encodedPath())
                .encodedQuery(resolved.encodedQuery())
                .build();
    }

    private ApiResponse sendAuthenticated(ApiRequest request) {
        String header = auth.header();
        ApiResponse response = transport.send(request, header);
        if (response.status() == 401) {
            log.log(String.format("%s '%s' was unauthorized; re-authenticating and retrying once",
                    request.method(), request.url()));
            response = transport.send(request, auth.afterUnauthorized(header));
        }
        return response;
    }

    /** Throws {@link DirectorResponseException} unless the status is one bosh-cli accepts. */
    public static void requireSuccess(ApiResponse response) {
        if (!SUCCESS.contains(response.status())) {
            throw responseError(response);
        }
    }

    /** Builds the bosh-cli style error, parsing {@code {code, description}} when present. */
    public static DirectorResponseException responseError(ApiResponse response) {
        String body = response.text();
        Integer code = null;
        String description = null;
        String trimmed = body.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode json = Json.MAPPER.readTree(trimmed);
                JsonNode c = json.get("code");
                if (c != null && c.canConvertToInt()) {
                    code = c.asInt();
                }
                description = Json.text(json, "description");
            } catch (java.io.IOException ignored) {
                // Not JSON after all; the verbatim body in the message is all we have.
            }
        }
        return new DirectorResponseException(response.status(), body, code, description,
                response.method(), response.url());
    }
}
