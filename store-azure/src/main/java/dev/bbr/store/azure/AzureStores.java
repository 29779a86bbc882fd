package dev.bbr.store.azure;

import com.azure.storage.blob.BlobServiceClient;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.RemoteLocation;
import dev.bbr.store.remote.RemoteStores;
import java.time.Clock;
import java.util.Map;

/**
 * The Azure Blob store: {@code azure://CONTAINER/PREFIX}. Register {@link #adapter} with the {@link
 * StorageRegistry}; the account and credentials come from the environment map given (see {@link
 * AzureSettings}).
 */
public final class AzureStores {
    public static final String SCHEME = "azure";

    private AzureStores() {
    }

    /** The adapter for {@code azure://} locations; one client, built on first use, for all its stores. */
    public static StorageRegistry.Adapter adapter(Map<String, String> env, Clock clock, Layout layout,
                                                  AzureOptions options) {
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

    public static Connection connect(Map<String, String> env, AzureOptions options) throws StoreException {
        AzureSettings settings = AzureSettings.fromEnv(env);
        return new Connection(settings.client(), settings, options);
    }

    /** One service client and its settings. {@link #toString()} shows no key or token. */
    public static final class Connection {
        private final BlobServiceClient client;
        private final AzureSettings settings;
        private final AzureOptions options;

        Connection(BlobServiceClient client, AzureSettings settings, AzureOptions options) {
            this.client = client;
            this.settings = settings;
            this.options = options;
        }

        public AzureArtifactStore store(String location, Layout layout, Clock clock) throws StoreException {
            RemoteLocation root = RemoteLocation.parse(SCHEME, location);
            AzureBackend backend = new AzureBackend(client.getBlobContainerClient(root.container()), root,
                    options.transfer(), new AzureErrors(root.container(), settings.endpoint, settings.redactor));
            return new AzureArtifactStore(backend, layout, clock);
        }

        /** The SDK client, for tools and tests (container setup). */
        public BlobServiceClient client() {
            return client;
        }

        @Override
        public String toString() {
            return "AzureStores.Connection[" + settings + "]";
        }
    }
}
