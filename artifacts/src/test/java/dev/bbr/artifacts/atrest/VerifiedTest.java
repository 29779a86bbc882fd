package dev.bbr.artifacts.atrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerifiedTest {
    private static final Verified SAMPLE = new Verified("2026-12-08T10:00:00Z", "bbr-java 0.1.0", 3, 7);

    @Test
    void roundTripsThroughJson() throws IOException {
        assertThat(Verified.parse(SAMPLE.toJson())).isEqualTo(SAMPLE);
    }

    @Test
    void writesSnakeCaseFields() throws IOException {
        JsonNode json = new ObjectMapper().readTree(SAMPLE.toJson());

        assertThat(json.path("verified_at").asText()).isEqualTo("2026-12-08T10:00:00Z");
        assertThat(json.path("tool").asText()).isEqualTo("bbr-java 0.1.0");
        assertThat(json.path("artifacts").asInt()).isEqualTo(3);
        assertThat(json.path("files").asLong()).isEqualTo(7);
        assertThat(Verified.FILE_NAME).isEqualTo("bbr-verified.json");
    }

    @Test
    void ignoresUnknownFields() throws IOException {
        byte[] json = "{\"verified_at\":\"2026-12-08T10:00:00Z\",\"tool\":\"t\",\"artifacts\":1,\"files\":2,\"by\":\"ops\"}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(Verified.parse(json)).isEqualTo(new Verified("2026-12-08T10:00:00Z", "t", 1, 2));
    }

    /** Listing shows verifiedAt(): a damaged record (even JSON null) is an IOException, which list treats as unverified. */
    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1]", "null", "{\"tool\":\"t\"}"})
    void aDamagedRecordIsAnIOException(String json) {
        assertThatThrownBy(() -> Verified.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
