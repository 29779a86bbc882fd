package dev.bbr.store.azure;

import dev.bbr.store.remote.TransferOptions;
import dev.bbr.store.testkit.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The environment and options the Azure tests use against Azurite. */
final class AzureTestSupport {
    static final String CONTAINER = "bbr-tests";

    private AzureTestSupport() {
    }

    static Map<String, String> env(TestServer.Instance azurite) {
        Map<String, String> env = new HashMap<>();
        env.put("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());
        return env;
    }

    /** 4 MiB blocks, 3 in flight, quick retries. */
    static AzureOptions options() {
        return new AzureOptions(TransferOptions.defaults().withPartSize(4 * 1024 * 1024).withPartsInFlight(3)
                .withRetries(4, Duration.ofMillis(200), Duration.ofSeconds(1)));
    }

    static void ensureContainer(AzureStores.Connection c, String name) {
        c.client().getBlobContainerClient(name).createIfNotExists();
    }
}
