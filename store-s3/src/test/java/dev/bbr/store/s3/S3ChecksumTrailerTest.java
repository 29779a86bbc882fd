package dev.bbr.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.TransferOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An S3-compatible store that rejects the SDK's checksum trailers (aws-chunked uploads with {@code
 * x-amz-trailer}) with 501, as Ceph RGW, R2 and others do: the default with an endpoint
 * (WHEN_REQUIRED) never sends them; forcing WHEN_SUPPORTED gives a message that says what to set.
 */
class S3ChecksumTrailerTest {
    private HttpServer server;
    private final List<String> trailers = new CopyOnWriteArrayList<>();
    private final List<String> puts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            x.getRequestBody().readAllBytes();
            String trailer = x.getRequestHeaders().getFirst("x-amz-trailer");
            String method = x.getRequestMethod();
            if (method.equals("PUT") && trailer != null) {
                trailers.add(trailer);
                reply(x, 501, "<Error><Code>NotImplemented</Code><Message>A header you provided implies"
                        + " functionality that is not implemented</Message></Error>");
                return;
            }
            if (method.equals("PUT")) {
                puts.add(x.getRequestURI().getPath());
                x.getResponseHeaders().add("ETag", "\"etag-" + puts.size() + "\"");
                reply(x, 200, "");
                return;
            }
            if (method.equals("GET") && x.getRequestURI().getQuery() != null
                    && x.getRequestURI().getQuery().contains("list-type=2")) {
                reply(x, 200, "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"
                        + "</ListBucketResult>");
                return;
            }
            reply(x, 404, "<Error><Code>NoSuchKey</Code><Message>no</Message></Error>");
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/xml");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void theDefaultWithAnEndpointSendsNoTrailerAndWorks() throws Exception {
        try (S3Stores.Connection c = S3Stores.connect(S3TestSupport.env(endpoint()), S3Options.defaults())) {
            BackupDestination backup = c.store("s3://b/p", Layout.FLAT, Clock.systemUTC()).createBackup("redis");
            try (ArtifactOutput out = backup.openArtifact(ArtifactId.of("redis", "0", "redis"))) {
                out.write(new byte[1000]);
            }
            backup.writeFile("manifest.yml", new byte[10]);
        }
        assertThat(trailers).isEmpty();
        assertThat(puts).hasSize(3);
    }

    @Test
    void forcedChecksumsAreRejectedWithAMessageSayingWhatToSet() throws Exception {
        S3Options options = S3Options.defaults().withChecksums(S3Options.Checksums.WHEN_SUPPORTED)
                .withTransfer(TransferOptions.defaults().withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10)));
        try (S3Stores.Connection c = S3Stores.connect(S3TestSupport.env(endpoint()), options)) {
            StoreException e = catchThrowableOfType(StoreException.class,
                    () -> c.store("s3://b/p", Layout.FLAT, Clock.systemUTC()).createBackup("redis"));
            assertThat(e.getMessage()).contains("s3://b/p").contains("501").contains("BBR_S3_CHECKSUMS=when_required")
                    .doesNotContain("\n");
        }
        assertThat(trailers).isNotEmpty();
    }

    @Test
    void checksumSettingsParseFromTheEnvironment() {
        assertThat(S3Options.fromEnv(java.util.Map.of("BBR_S3_CHECKSUMS", "when_supported")).checksums())
                .isEqualTo(S3Options.Checksums.WHEN_SUPPORTED);
        assertThat(S3Stores.effectiveChecksums(S3Options.defaults(), true)).isEqualTo(S3Options.Checksums.WHEN_REQUIRED);
        assertThat(S3Stores.effectiveChecksums(S3Options.defaults(), false))
                .isEqualTo(S3Options.Checksums.WHEN_SUPPORTED);
    }
}
