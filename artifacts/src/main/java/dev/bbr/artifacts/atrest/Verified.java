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

    /**
     * A record without its time (JSON null, or no {@code verified_at}) is damaged: it used to parse to
     * null (an NPE in listing) or to a record listed as "verified null".
     */
    public static Verified parse(byte[] json) throws IOException {
        Verified verified = JSON.readValue(json, Verified.class);
        if (verified == null || verified.verifiedAt() == null) {
            throw new IOException(FILE_NAME + " is not valid: it has no verified_at");
        }
        return verified;
    }
}
