package dev.bbr.store.testkit;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite against the reference implementation, the local directory store. */
class LocalStoreConformanceTest extends ArtifactStoreConformance {
    @TempDir
    Path temp;
    private int roots;

    @Override
    protected String newRoot() throws Exception {
        return Files.createDirectory(temp.resolve("root-" + roots++)).toString();
    }

    @Override
    protected ArtifactStore store(String root, Layout layout, Clock clock) {
        return new LocalArtifactStore(Path.of(root), clock);
    }

    @Override
    protected List<String> rawFiles(String root) throws Exception {
        Path base = Path.of(root);
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(Files::isRegularFile).map(p -> base.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> !f.equals(".bbr-lock.guard")).sorted().toList();
        }
    }

    /** The local store writes Go bbr's flat layout only. */
    @Override
    protected boolean supports(Layout layout) {
        return layout == Layout.FLAT;
    }
}
