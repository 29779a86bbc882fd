package dev.bbr.store.s3;

import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.RemoteLocation;
import dev.bbr.store.remote.RemoteStores;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 store: {@code s3://BUCKET/PREFIX}. Register {@link #adapter} with the {@link StorageRegistry}.
 * Settings come from the environment map given (see {@link S3Settings}: the standard AWS variables) and
 * {@link S3Options} (part size, parallelism, checksums, addressing).
 */
public final class S3Stores {
    public static final String SCHEME = "s3";

    private S3Stores() {
    }

    /**
     * The adapter for {@code s3://} locations. The client is built on first use (so a missing region
     * only matters when an s3:// location is used) and shared by every store the adapter opens.
     */
    public static StorageRegistry.Adapter adapter(Map<String, String> env, Clock clock, Layout layout,
                                                  S3Options options) {
        Map<String, String> copy = Map.copyOf(env);
        Connection[] connection = new Connection[1];
        return RemoteStores.adapter(SCHEME, layout, RemoteStores.containerPaths(SCHEME), (location, l) -> {
            Connection c;
            synchronized (connection) {
                if (connection[0] == null) {
                    connection[0] = connect(copy, options);
                }
                c = connection[0];
            }
            return c.store(location, l, clock);
        });
    }

    /** A client for the settings in {@code env}, opening any number of stores; close it when done. */
    public static Connection connect(Map<String, String> env, S3Options options) throws StoreException {
        S3Settings settings = S3Settings.fromEnv(env);
        return new Connection(client(settings, options), settings, options);
    }

    /** One S3 client (connection pool) and its settings. {@link #toString()} shows no secret. */
    public static final class Connection implements AutoCloseable {
        private final S3Client client;
        private final S3Settings settings;
        private final S3Options options;

        Connection(S3Client client, S3Settings settings, S3Options options) {
            this.client = client;
            this.settings = settings;
            this.options = options;
        }

        /** The store at {@code s3://BUCKET/PREFIX}. */
        public S3ArtifactStore store(String location, Layout layout, Clock clock) throws StoreException {
            RemoteLocation root = RemoteLocation.parse(SCHEME, location);
            String endpoint = settings.endpoint.map(URI::toString)
                    .orElse("https://s3." + settings.region.id() + ".amazonaws.com");
            S3Backend backend = new S3Backend(client, root, options.transfer(),
                    new S3Errors(root.container(), endpoint, settings.redactor), clock, options.staleUploadAge());
            return new S3ArtifactStore(backend, layout, clock);
        }

        /** The SDK client, for tools and tests (bucket setup). */
        public S3Client client() {
            return client;
        }

        @Override
        public void close() {
            client.close();
        }

        @Override
        public String toString() {
            return "S3Stores.Connection[" + settings + "]";
        }
    }

    static S3Client client(S3Settings settings, S3Options options) throws StoreException {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .maxConnections(Math.max(32, options.transfer().partsInFlight() * 8))
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(120));
        if (settings.caBundle.isPresent()) {
            TrustManager[] trust = settings.trustManagers();
            http.tlsTrustManagersProvider(() -> trust);
        }
        boolean endpointSet = settings.endpoint.isPresent();
        S3Options.Checksums checksums = effectiveChecksums(options, endpointSet);
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(http)
                .region(settings.region)
                .credentialsProvider(settings.credentials)
                .forcePathStyle(options.pathStyle() != null ? options.pathStyle() : endpointSet)
                .requestChecksumCalculation(checksums == S3Options.Checksums.WHEN_REQUIRED
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(checksums == S3Options.Checksums.WHEN_REQUIRED
                        ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
                .overrideConfiguration(o -> o.defaultProfileFile(settings.profileFile)
                        .defaultProfileName(settings.profileName));
        settings.endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** {@link S3Options.Checksums#AUTO}: WHEN_REQUIRED with a custom endpoint, WHEN_SUPPORTED on AWS. */
    static S3Options.Checksums effectiveChecksums(S3Options options, boolean endpointSet) {
        if (options.checksums() != S3Options.Checksums.AUTO) {
            return options.checksums();
        }
        return endpointSet ? S3Options.Checksums.WHEN_REQUIRED : S3Options.Checksums.WHEN_SUPPORTED;
    }
}
