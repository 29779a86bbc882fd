package dev.bbr.artifacts.atrest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.CodecDescription;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@value #FILE_NAME}: how a backup written by bbr for Java is stored, written last (after the
 * metadata, before the incomplete marker goes), so a backup without it is unfinished. It names the
 * codec and the recipients' public keys (so a missing or wrong key is refused before anything is
 * read), each stored file's size and SHA-256 (verifiable without a key) and each artifact's plaintext
 * size (the progress total of a restore). Go bbr ignores it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sidecar(
        @JsonProperty("format") int format,
        @JsonProperty("tool") String tool,
        @JsonProperty("run_id") String runId,
        @JsonProperty("deployment") String deployment,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("codec") Codec codec,
        @JsonProperty("artifacts") List<Artifact> artifacts,
        @JsonProperty("files") List<StoredFile> files) {

    public static final String FILE_NAME = "bbr-sidecar.json";
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Sidecar {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** The codec: compression name ({@code none}, {@code gzip}, {@code zstd:3}) and age recipients. */
    public record Codec(@JsonProperty("compression") String compression,
            @JsonProperty("recipients") List<String> recipients) {
        public Codec {
            recipients = recipients == null ? List.of() : List.copyOf(recipients);
        }

        public static Codec of(CodecDescription description) {
            return new Codec(description.compression(), description.recipients());
        }

        public CodecDescription description() {
            return new CodecDescription(compression, recipients);
        }
    }

    /**
     * One artifact as stored.
     *
     * @param file   the stored file's name, e.g. {@code redis-0-redis.tar.zst.age}
     * @param name   the artifact's name in bbr's metadata (the job, or the custom name)
     * @param owner  {@code group/index}, or {@code custom artifact}
     */
    public record Artifact(@JsonProperty("file") String file, @JsonProperty("name") String name,
            @JsonProperty("owner") String owner, @JsonProperty("plaintext_bytes") long plaintextBytes,
            @JsonProperty("stored_bytes") long storedBytes, @JsonProperty("stored_sha256") String storedSha256) {}

    /** Another file of the backup ({@code metadata}, {@code manifest.yml}). */
    public record StoredFile(@JsonProperty("file") String file, @JsonProperty("bytes") long bytes,
            @JsonProperty("sha256") String sha256) {}

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("the sidecar could not be written as JSON", e);
        }
    }

    /** Parses a sidecar; a damaged one is an error naming the file. */
    public static Sidecar parse(byte[] json) throws IOException {
        try {
            Sidecar sidecar = JSON.readValue(json, Sidecar.class);
            // JSON null parses to no object at all: it was an NPE, escaping list and verify
            if (sidecar == null) {
                throw new IOException(FILE_NAME + " is not valid: it holds no object");
            }
            if (sidecar.codec() == null) {
                throw new IOException(FILE_NAME + " has no codec");
            }
            requireUsable(sidecar);
            return sidecar;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(FILE_NAME + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Readers rebuild the codec and look records up by file name, so a sidecar whose codec cannot be
     * rebuilt (an unknown compression, a damaged recipient) or whose records lack a name or digest is
     * damage, refused here: before, it surfaced as an IllegalArgumentException or NullPointerException
     * that escaped {@code bbr artifacts list} and {@code verify}, which only expect IOExceptions.
     */
    private static void requireUsable(Sidecar sidecar) throws IOException {
        if (sidecar.codec().compression() == null) {
            throw new IOException(FILE_NAME + " has no codec compression");
        }
        try {
            ArtifactCodec.fromDescription(sidecar.codec().description());
        } catch (IllegalArgumentException e) {
            throw new IOException(FILE_NAME + " names a codec that cannot be used: " + e.getMessage(), e);
        }
        for (Artifact artifact : sidecar.artifacts()) {
            if (artifact.file() == null || artifact.storedSha256() == null) {
                throw new IOException(FILE_NAME + " is not valid: an artifact record without file or stored_sha256");
            }
        }
        for (StoredFile file : sidecar.files()) {
            if (file.file() == null || file.sha256() == null) {
                throw new IOException(FILE_NAME + " is not valid: a file record without file or sha256");
            }
        }
    }

    /** The artifact stored as {@code file}, if listed. */
    public Optional<Artifact> artifact(String file) {
        return artifacts.stream().filter(a -> a.file().equals(file)).findFirst();
    }

    public long storedBytes() {
        return artifacts.stream().mapToLong(Artifact::storedBytes).sum()
                + files.stream().mapToLong(StoredFile::bytes).sum();
    }
}
