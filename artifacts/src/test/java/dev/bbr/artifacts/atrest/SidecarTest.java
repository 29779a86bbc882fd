package dev.bbr.artifacts.atrest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbr.artifacts.codec.CodecDescription;
import dev.bbr.artifacts.codec.TestAgeKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SidecarTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);
    private static final String SHA_M = "c".repeat(64);

    static Sidecar sample() {
        return new Sidecar(Sidecar.FORMAT, "bbr-java 0.1.0", "run-1", "redis", "2026-12-07T02:00:00Z",
                "2026-12-07T02:00:42Z",
                new Sidecar.Codec("zstd:3", List.of(TestAgeKeys.ALICE.publicKey(), TestAgeKeys.ESCROW.publicKey())),
                List.of(new Sidecar.Artifact("redis-0-redis-server.tar.zst.age", "redis-server", "redis/0", 10240, 611,
                        SHA_A),
                        new Sidecar.Artifact("custom.tar.zst.age", "custom", "custom artifact", 20480, 700, SHA_B)),
                List.of(new Sidecar.StoredFile("metadata", 321, SHA_M)));
    }

    @Test
    void roundTripsThroughJson() throws IOException {
        Sidecar sidecar = sample();

        Sidecar parsed = Sidecar.parse(sidecar.toJson());

        assertThat(parsed).isEqualTo(sidecar);
        assertThat(parsed.codec().description()).isEqualTo(new CodecDescription("zstd:3",
                List.of(TestAgeKeys.ALICE.publicKey(), TestAgeKeys.ESCROW.publicKey())));
    }

    @Test
    void writesTheDocumentedSnakeCaseFields() throws IOException {
        JsonNode json = JSON.readTree(sample().toJson());

        assertThat(json.path("format").asInt()).isEqualTo(1);
        assertThat(json.path("tool").asText()).isEqualTo("bbr-java 0.1.0");
        assertThat(json.path("run_id").asText()).isEqualTo("run-1");
        assertThat(json.path("deployment").asText()).isEqualTo("redis");
        assertThat(json.path("started_at").asText()).isEqualTo("2026-12-07T02:00:00Z");
        assertThat(json.path("finished_at").asText()).isEqualTo("2026-12-07T02:00:42Z");
        assertThat(json.path("codec").path("compression").asText()).isEqualTo("zstd:3");
        assertThat(json.path("codec").path("recipients").get(1).asText()).isEqualTo(TestAgeKeys.ESCROW.publicKey());
        JsonNode artifact = json.path("artifacts").get(0);
        assertThat(artifact.path("file").asText()).isEqualTo("redis-0-redis-server.tar.zst.age");
        assertThat(artifact.path("name").asText()).isEqualTo("redis-server");
        assertThat(artifact.path("owner").asText()).isEqualTo("redis/0");
        assertThat(artifact.path("plaintext_bytes").asLong()).isEqualTo(10240);
        assertThat(artifact.path("stored_bytes").asLong()).isEqualTo(611);
        assertThat(artifact.path("stored_sha256").asText()).isEqualTo(SHA_A);
        JsonNode file = json.path("files").get(0);
        assertThat(file.path("file").asText()).isEqualTo("metadata");
        assertThat(file.path("bytes").asLong()).isEqualTo(321);
        assertThat(file.path("sha256").asText()).isEqualTo(SHA_M);
    }

    @Test
    void isReadableByHumans() {
        assertThat(new String(sample().toJson(), StandardCharsets.UTF_8)).contains("\n  \"run_id\" : \"run-1\"");
    }

    @Test
    void ignoresFieldsOfALaterVersion() throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(sample().toJson());
        json.put("signature", "not known yet");
        ((ObjectNode) json.path("artifacts").get(0)).put("chunks", 3);

        assertThat(Sidecar.parse(JSON.writeValueAsBytes(json))).isEqualTo(sample());
    }

    @Test
    void missingListsAreEmpty() throws IOException {
        Sidecar sidecar = Sidecar.parse("{\"format\":1,\"codec\":{\"compression\":\"none\"}}".getBytes(StandardCharsets.UTF_8));

        assertThat(sidecar.artifacts()).isEmpty();
        assertThat(sidecar.files()).isEmpty();
        assertThat(sidecar.codec().recipients()).isEmpty();
        assertThat(sidecar.storedBytes()).isZero();
    }

    @Test
    void findsAnArtifactByItsStoredFileName() {
        Sidecar sidecar = sample();

        assertThat(sidecar.artifact("custom.tar.zst.age")).map(Sidecar.Artifact::storedSha256).contains(SHA_B);
        assertThat(sidecar.artifact("custom.tar")).isEmpty();
    }

    @Test
    void storedBytesCountArtifactsAndOtherFiles() {
        assertThat(sample().storedBytes()).isEqualTo(611 + 700 + 321);
    }

    @Test
    void listsAreCopiedNotShared() {
        List<Sidecar.Artifact> artifacts = new java.util.ArrayList<>(sample().artifacts());
        Sidecar sidecar = new Sidecar(1, "t", "r", "d", "s", "f", sample().codec(), artifacts, List.of());
        artifacts.clear();

        assertThat(sidecar.artifacts()).hasSize(2);
        assertThatThrownBy(() -> sidecar.artifacts().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "{\"format\":1,\"codec\":{\"compression\":\"zstd:3\"",
            "[]",
            "{\"format\":\"one\",\"codec\":{\"compression\":\"none\"}}",
    })
    void aDamagedSidecarIsAnErrorNamingTheFile(String json) {
        assertThatThrownBy(() -> Sidecar.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("bbr-sidecar.json is not valid: ");
    }

    @Test
    void aTruncatedSidecarIsRejected() {
        byte[] json = sample().toJson();

        assertThatThrownBy(() -> Sidecar.parse(java.util.Arrays.copyOf(json, json.length / 2)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("bbr-sidecar.json is not valid: ");
    }

    @Test
    void aSidecarWithoutCodecIsRejected() {
        assertThatThrownBy(() -> Sidecar.parse("{\"format\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessage("bbr-sidecar.json has no codec");
    }

    /** A file holding JSON's null (a damaged or hand-edited sidecar) must be an IOException, not an NPE. */
    @Test
    void aSidecarThatIsJsonNullIsRejected() {
        assertThatThrownBy(() -> Sidecar.parse("null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bbr-sidecar.json");
    }

    /** Callers (list, verify, restore) rebuild the codec from it: an unusable one must be refused here, as damage. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"format\":1,\"codec\":{\"compression\":\"lzma\"}}",
            "{\"format\":1,\"codec\":{\"recipients\":[]}}",
            "{\"format\":1,\"codec\":{\"compression\":\"none\",\"recipients\":[\"age1notakey\"]}}",
    })
    void aSidecarWithAnUnusableCodecIsRejected(String json) {
        assertThatThrownBy(() -> Sidecar.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("bbr-sidecar.json ");
    }

    /** A record without its file name or digest cannot be checked against anything. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"format\":1,\"codec\":{\"compression\":\"none\"},\"artifacts\":[{\"name\":\"x\"}]}",
            "{\"format\":1,\"codec\":{\"compression\":\"none\"},\"artifacts\":[{\"file\":\"x.tar\"}]}",
            "{\"format\":1,\"codec\":{\"compression\":\"none\"},\"files\":[{\"sha256\":\"00\"}]}",
            "{\"format\":1,\"codec\":{\"compression\":\"none\"},\"files\":[{\"file\":\"metadata\"}]}",
            "{\"format\":1,\"codec\":{\"compression\":\"none\"},\"artifacts\":[null]}",
    })
    void aSidecarWithIncompleteRecordsIsRejected(String json) {
        assertThatThrownBy(() -> Sidecar.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("bbr-sidecar.json ");
    }
}
