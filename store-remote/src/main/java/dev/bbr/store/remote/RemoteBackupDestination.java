package dev.bbr.store.remote;

import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataWriter;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.IncompleteMarker;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.time.Clock;

/**
 * One backup being written to a remote store; the counterpart of {@code LocalBackupDestination}: the
 * marker exists from creation to {@link #markComplete()}, {@link #markFailed(String)} keeps it with the
 * reason and drops {@code finish_time} from the metadata while the run is failed.
 */
final class RemoteBackupDestination implements BackupDestination {
    private enum State { RUNNING, COMPLETE, FAILED }

    private final ObjectBackend backend;
    private final String path;
    private final Clock clock;
    private final Retry retry;
    private final MetadataWriter writer = new MetadataWriter();
    private State state = State.RUNNING;
    private BackupMetadata lastMetadata;

    /** {@code retry}: a store that drops out during the run must not fail it over one small write. */
    RemoteBackupDestination(ObjectBackend backend, String path, Clock clock, Retry retry) {
        this.backend = backend;
        this.path = path;
        this.clock = clock;
        this.retry = retry;
    }

    private void put(String key, byte[] content) throws IOException {
        retry.runVoid("writing " + backend.describe(key), () -> backend.write(key, content));
    }

    @Override
    public ArtifactOutput openArtifact(ArtifactId id, String storedSuffix) throws IOException {
        String key = path + "/" + BbrLayout.fileName(id, storedSuffix);
        if (backend.size(key).isPresent()) {
            throw new StoreException(StoreException.Reason.CREATE_FAILED, "artifact " + backend.describe(key)
                    + " already exists");
        }
        return backend.openUpload(key);
    }

    @Override
    public synchronized void writeMetadata(BackupMetadata metadata) throws IOException {
        lastMetadata = metadata;
        put(path + "/" + BbrLayout.METADATA_FILE, writer.toBytes(forState(metadata)));
    }

    @Override
    public synchronized void writeFile(String name, byte[] content) throws IOException {
        String plain = BbrLayout.requirePlain(name);
        if (plain.equals(BbrLayout.METADATA_FILE) || plain.equals(IncompleteMarker.FILE_NAME)) {
            throw new IllegalArgumentException(plain + " is managed by the destination itself");
        }
        put(path + "/" + plain, content);
    }

    @Override
    public synchronized void markComplete() throws IOException {
        if (state == State.FAILED) {
            throw new IllegalStateException("backup " + location() + " was already marked failed");
        }
        state = State.COMPLETE;
        retry.runVoid("removing " + backend.describe(marker()), () -> backend.delete(marker()));
    }

    @Override
    public synchronized void markFailed(String reason) throws IOException {
        state = State.FAILED;
        put(marker(), IncompleteMarker.failed(reason, clock.instant()));
        if (lastMetadata != null && lastMetadata.backupActivity().flatMap(a -> a.finishTime()).isPresent()) {
            writeMetadata(lastMetadata);
        }
    }

    /** Removes what the run wrote so far (metadata first, the marker last), as a local discard does. */
    @Override
    public synchronized void discard() throws IOException {
        state = State.FAILED;
        String metadata = path + "/" + BbrLayout.METADATA_FILE;
        java.util.List<String> keys = new java.util.ArrayList<>(backend.listKeys(path + "/"));
        keys.sort(java.util.Comparator.comparing((String k) -> !k.equals(metadata))
                .thenComparing(k -> k.equals(marker())));
        for (String key : keys) {
            retry.runVoid("removing " + backend.describe(key), () -> backend.delete(key));
        }
        backend.cleanUpAfterDelete(path + "/");
    }

    @Override
    public String location() {
        return backend.describe(path);
    }

    @Override
    public String toString() {
        return "RemoteBackupDestination[" + location() + "]";
    }

    private BackupMetadata forState(BackupMetadata metadata) {
        if (state != State.FAILED) {
            return metadata;
        }
        return metadata.backupActivity()
                .map(activity -> metadata.withBackupActivity(activity.withoutFinishTime()))
                .orElse(metadata);
    }

    private String marker() {
        return path + "/" + IncompleteMarker.FILE_NAME;
    }
}
