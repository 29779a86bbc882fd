package dev.bbr.store.s3;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.store.remote.RemoteArtifactStore;
import dev.bbr.store.remote.RemoteLocation;
import dev.bbr.store.testkit.ArtifactStoreConformance;
import dev.bbr.store.testkit.TestServer;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conformance suite against S3Proxy (filesystem backend), through the real SDK and HTTP client. */
class S3StoreConformanceTest extends ArtifactStoreConformance {
    @RegisterExtension
    static final TestServer S3PROXY = TestServer.s3proxy();
    private static S3Stores.Connection connection;

    @BeforeAll
    static void connect() throws Exception {
        connection = S3Stores.connect(S3TestSupport.env(S3PROXY.instance().endpoint()), S3TestSupport.options());
        S3TestSupport.ensureBucket(connection.client(), S3TestSupport.BUCKET);
    }

    @AfterAll
    static void disconnect() {
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    protected String newRoot() {
        return "s3://" + S3TestSupport.BUCKET + "/conformance/" + UUID.randomUUID();
    }

    @Override
    protected ArtifactStore store(String root, Layout layout, Clock clock) throws Exception {
        return connection.store(root, layout, clock);
    }

    @Override
    protected List<String> rawFiles(String root) throws Exception {
        return ((RemoteArtifactStore) connection.store(root, Layout.FLAT, Clock.systemUTC())).backend().listKeys("");
    }

    @Override
    protected int pendingUploads(String root) throws Exception {
        RemoteLocation l = RemoteLocation.parse("s3", root);
        return connection.client().listMultipartUploads(b -> b.bucket(l.container()).prefix(l.prefix() + "/"))
                .uploads().size();
    }
}
