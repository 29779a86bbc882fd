package dev.bbr.store.remote;

import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataException;
import dev.bbr.artifacts.metadata.MetadataReader;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.IncompleteMarker;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** A backup in a remote store, read-only; the counterpart of {@code LocalBackupSource}. */
final class RemoteBackupSource implements BackupSource {
    private final ObjectBackend backend;
    private final String path;
    private final String name;

    RemoteBackupSource(ObjectBackend backend, String path, String name) {
        this.backend = backend;
        this.path = path;
        this.name = name;
    }

    @Override
    public BackupMetadata readMetadata() throws IOException {
        String key = path + "/" + BbrLayout.METADATA_FILE;
        Optional<ObjectBackend.Versioned> content;
        try {
            content = backend.read(key);
        } catch (IOException e) {
            throw new MetadataException(Retry.oneLine(e), e);
        }
        if (content.isEmpty()) {
            throw new MetadataException("open " + backend.describe(key) + ": no such file or directory");
        }
        return new MetadataReader().read(content.get().content());
    }

    @Override
    public InputStream openArtifact(ArtifactId id, String storedSuffix) throws IOException {
        return backend.openStream(path + "/" + BbrLayout.fileName(id, storedSuffix));
    }

    @Override
    public long storedSize(ArtifactId id, String storedSuffix) throws IOException {
        String key = path + "/" + BbrLayout.fileName(id, storedSuffix);
        return backend.size(key).orElseThrow(() -> new StoreException(StoreException.Reason.NOT_FOUND,
                "open " + backend.describe(key) + ": no such file or directory"));
    }

    @Override
    public Optional<byte[]> readFile(String fileName) throws IOException {
        return backend.read(path + "/" + BbrLayout.requirePlain(fileName)).map(ObjectBackend.Versioned::content);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> incompleteReason() throws IOException {
        return backend.read(path + "/" + IncompleteMarker.FILE_NAME).map(v -> IncompleteMarker.describe(v.content()));
    }

    @Override
    public String location() {
        return backend.describe(path);
    }

    @Override
    public String toString() {
        return "RemoteBackupSource[" + location() + "]";
    }
}
