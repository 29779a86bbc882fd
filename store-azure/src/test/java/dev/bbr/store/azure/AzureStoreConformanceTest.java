package dev.bbr.store.azure;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.store.remote.RemoteArtifactStore;
import dev.bbr.store.testkit.ArtifactStoreConformance;
import dev.bbr.store.testkit.TestServer;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite against Azurite, through the Azure SDK. */
class AzureStoreConformanceTest extends ArtifactStoreConformance {
    @RegisterExtension
    static final TestServer AZURITE = TestServer.azurite();
    private static AzureStores.Connection connection;

    @BeforeAll
    static void connect() throws Exception {
        connection = AzureStores.connect(AzureTestSupport.env(AZURITE.instance()), AzureTestSupport.options());
        AzureTestSupport.ensureContainer(connection, AzureTestSupport.CONTAINER);
    }

    @Override
    protected String newRoot() {
        return "azure://" + AzureTestSupport.CONTAINER + "/conformance/" + UUID.randomUUID();
    }

    @Override
    protected ArtifactStore store(String root, Layout layout, Clock clock) throws Exception {
        return connection.store(root, layout, clock);
    }

    @Override
    protected List<String> rawFiles(String root) throws Exception {
        return ((RemoteArtifactStore) connection.store(root, Layout.FLAT, Clock.systemUTC())).backend().listKeys("");
    }
}
