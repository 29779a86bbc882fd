package dev.bbr.artifacts.atrest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * {@value #FILE_NAME}: left in a backup by a successful deep {@code bbr artifacts verify} (every file
 * decrypted, decompressed and matched against bbr's metadata), so listing shows the backup verified.
 */
public record Verified(@JsonProperty("verified_at") String verifiedAt, @JsonProperty("tool") String tool,
        @JsonProperty("artifacts") int artifacts, @JsonProperty("files") long files) {
    public static final String FILE_NAME = "bbr-verified.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Verified parse(byte[] json) throws IOException {
        return JSON.readValue(json, Verified.class);
    }
}
