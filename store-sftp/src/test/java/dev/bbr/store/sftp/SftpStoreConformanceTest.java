package dev.bbr.store.sftp;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.store.remote.TransferOptions;
import dev.bbr.store.testkit.ArtifactStoreConformance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite against a real OpenSSH sshd (internal-sftp), through sshj. */
class SftpStoreConformanceTest extends ArtifactStoreConformance {
    @TempDir
    static Path temp;
    private static TestSftpServer server;
    private static SftpStores.Connections connections;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestSftpServer.start(temp.resolve("sshd"));
        connections = SftpStores.connections(server.env(), new SftpOptions(TransferOptions.defaults()
                .withPartSize(4 * 1024 * 1024).withPartsInFlight(3)
                .withRetries(4, Duration.ofMillis(200), Duration.ofSeconds(1))));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (connections != null) {
            connections.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected String newRoot() throws Exception {
        Path dir = Files.createDirectories(server.data.resolve(UUID.randomUUID().toString()));
        return server.location(dir);
    }

    @Override
    protected ArtifactStore store(String root, Layout layout, Clock clock) throws Exception {
        return connections.store(root, layout, clock);
    }

    @Override
    protected List<String> rawFiles(String root) throws Exception {
        Path base = Path.of(SftpLocation.parse(root).path());
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(Files::isRegularFile).map(p -> base.relativize(p).toString()).sorted().toList();
        }
    }
}
