package dev.bbr.director;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.director.http.ApiResponse;
import dev.bbr.director.http.Json;

/** Reads {@code GET /info}, validating the UAA URL the way bbr's client builder does. */
final class InfoReader {
    private InfoReader() {}

    static Info read(ApiResponse response) {
        JsonNode json = Json.parse(response, "info");
        JsonNode auth = json.path("user_authentication");
        String type = Json.text(auth, "type");
        String uaaUrl = null;
        if ("uaa".equals(type)) {
            JsonNode url = auth.path("options").get("url");
            if (url == null || !url.isTextual()) {
                // Go prints the value with %s; null/missing and non-strings both end up here.
                throw new DirectorConfigException("Expected URL '"
                        + (url == null || url.isNull() ? "<nil>" : url.toString())
                        + "' to be a string");
            }
            uaaUrl = url.asText();
        }
        return new Info(Json.text(json, "name"), Json.text(json, "uuid"),
                Json.text(json, "version"), Json.text(json, "user"), Json.text(json, "cpi"), type,
                uaaUrl);
    }
}
