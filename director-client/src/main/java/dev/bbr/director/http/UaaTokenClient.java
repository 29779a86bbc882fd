package dev.bbr.director.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.director.DirectorException;
import dev.bbr.director.UaaResponseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.HttpUrl;

/**
 * Fetches client-credentials tokens from UAA (bbr never uses password or refresh grants).
 * Goes through the same {@link Transport} as Director traffic, so it shares the CA, proxy
 * route, timeouts and debug trace.
 */
public final class UaaTokenClient {

    /** An issued token; {@code toString} never reveals it. */
    public record Token(String authorizationHeader, Duration expiresIn) {
        @Override
        public String toString() {
            return "Token[REDACTED, expiresIn=" + expiresIn + "]";
        }
    }

    private final HttpUrl tokenUrl;
    private final String clientAuthorization;
    private final Transport transport;
    private final DebugLog log;

    public UaaTokenClient(HttpUrl tokenUrl, String clientId, String clientSecret,
            Transport transport, DebugLog log) {
        this.tokenUrl = tokenUrl;
        String pair = (clientId == null ? "" : clientId) + ":"
                + (clientSecret == null ? "" : clientSecret);
        this.clientAuthorization = "Basic "
                + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        this.transport = transport;
        this.log = log;
        log.registerSecret(clientAuthorization.substring("Basic ".length()));
    }

    public HttpUrl tokenUrl() {
        return tokenUrl;
    }

    /**
     * Requests a new token.
     *
     * @throws UaaResponseException on any non-200 answer
     */
    public Token fetch() {
        // Issuing a token has no side effects, so it may be retried like a GET.
        ApiRequest request = new ApiRequest("POST", tokenUrl, null,
                Map.of("Accept", "application/json"), true);
        FormBody form = new FormBody.Builder().add("grant_type", "client_credentials").build();
        ApiResponse response = transport.send(request, clientAuthorization, form);
        if (response.status() != 200) {
            throw new UaaResponseException(response.status(), log.scrub(response.text()));
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            // No parser detail: it could quote the token.
            throw new DirectorException("Unmarshaling UAA token response from '" + tokenUrl
                    + "': response is not valid JSON");
        }
        String accessToken = Json.text(json, "access_token");
        if (accessToken == null || accessToken.isEmpty()) {
            throw new DirectorException(
                    "Unmarshaling UAA token response from '" + tokenUrl + "': no access_token");
        }
        log.registerSecret(accessToken);
        String type = Json.text(json, "token_type");
        JsonNode expires = json.get("expires_in");
        Duration expiresIn = expires != null && expires.canConvertToLong()
                ? Duration.ofSeconds(expires.asLong()) : null;
        return new Token((type == null || type.isEmpty() ? "bearer" : type) + " " + accessToken,
                expiresIn);
    }
}
