package dev.bbr.director.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bbr.director.DirectorException;

/**
 * Shared Jackson setup and tolerant field access. The Director adds fields over time and its
 * Content-Type is unreliable, so everything is read as a tree from text and unknown fields are
 * ignored.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {}

    /** Parses a Director response body; {@code what} names the call for the error message. */
    public static JsonNode parse(ApiResponse response, String what) {
        return parse(response.text(), what, response.method(), response.url());
    }

    public static JsonNode parse(String text, String what, String method, String url) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new DirectorException(String.format(
                        "Unmarshaling Director response for %s (%s '%s'): empty body",
                        what, method, url));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new DirectorException(String.format(
                    "Unmarshaling Director response for %s (%s '%s'): %s",
                    what, method, url, e.getOriginalMessage()), e);
        }
    }

    /** Text of a field, or null when absent or JSON null (numbers are rendered as text). */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
