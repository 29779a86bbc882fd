package dev.bbr.artifacts.atrest;

import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataWriter;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BbrLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Decorates any store's backup: each artifact's tar is compressed then encrypted by the codec while it
 * streams (a plain codec passes the bytes through, so the files are the Go bbr's), the stored bytes are
 * counted and hashed on their way, and at completion the {@link Sidecar} is written last, just before
 * the store removes the incomplete marker.
 */
public final class AtRestDestination implements BackupDestination {
    private final BackupDestination store;
    private final ArtifactCodec codec;
    private final Clock clock;
    private final String tool;
    private final String runId;
    private final String deployment;
    private final String startedAt;
    private final Map<String, Sidecar.Artifact> artifacts = new LinkedHashMap<>();
    private final Map<String, Sidecar.StoredFile> files = new LinkedHashMap<>();
    private final MetadataWriter metadataWriter = new MetadataWriter();

    public AtRestDestination(BackupDestination store, ArtifactCodec codec, Clock clock, String tool, String runId,
            String deployment) {
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.tool = tool;
        this.runId = runId;
        this.deployment = deployment;
        this.startedAt = clock.instant().toString();
    }

    @Override
    public ArtifactOutput openArtifact(ArtifactId id, String storedSuffix) throws IOException {
        if (!storedSuffix.isEmpty()) {
            throw new IllegalArgumentException("the codec names the stored file; no other suffix is allowed");
        }
        String file = BbrLayout.fileName(id, codec.suffix());
        ArtifactOutput stored = store.openArtifact(id, codec.suffix());
        return new EncodingArtifactOutput(id, file, stored);
    }

    @Override
    public void writeMetadata(BackupMetadata metadata) throws IOException {
        store.writeMetadata(metadata);
        byte[] bytes = metadataWriter.toBytes(metadata);
        record(BbrLayout.METADATA_FILE, bytes);
    }

    @Override
    public void writeFile(String name, byte[] content) throws IOException {
        store.writeFile(name, content);
        record(name, content);
    }

    @Override
    public void markComplete() throws IOException {
        Sidecar sidecar;
        synchronized (this) {
            sidecar = new Sidecar(Sidecar.FORMAT, tool, runId, deployment, startedAt, clock.instant().toString(),
                    Sidecar.Codec.of(codec.describe()), new ArrayList<>(artifacts.values()),
                    new ArrayList<>(files.values()));
        }
        store.writeFile(Sidecar.FILE_NAME, sidecar.toJson());
        store.markComplete();
    }

    @Override
    public void markFailed(String reason) throws IOException {
        store.markFailed(reason);
    }

    /** The store's free space: the bound is the plaintext, which the stored bytes never exceed by much. */
    @Override
    public OptionalLong freeSpace() {
        return store.freeSpace();
    }

    @Override
    public void discard() throws IOException {
        store.discard();
    }

    @Override
    public String location() {
        return store.location();
    }

    private synchronized void record(String name, byte[] content) {
        files.put(name, new Sidecar.StoredFile(name, content.length, Digests.sha256(content)));
    }

    private synchronized void recordArtifact(Sidecar.Artifact artifact) {
        artifacts.put(artifact.file(), artifact);
    }

    /** The plaintext tar goes in; the codec's output is hashed and counted on its way to the store. */
    private final class EncodingArtifactOutput extends ArtifactOutput {
        private final ArtifactId id;
        private final String file;
        private final ArtifactOutput stored;
        private final MessageDigest digest = Digests.newSha256();
        private final CountingDigestStream storedSide;
        private final OutputStream plaintext;
        private long plaintextBytes;
        private boolean done;

        EncodingArtifactOutput(ArtifactId id, String file, ArtifactOutput stored) throws IOException {
            this.id = id;
            this.file = file;
            this.stored = stored;
            this.storedSide = new CountingDigestStream(stored, digest);
            this.plaintext = codec.encode(storedSide);
        }

        @Override
        public void write(int b) throws IOException {
            plaintext.write(b);
            plaintextBytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            plaintext.write(b, off, len);
            plaintextBytes += len;
        }

        @Override
        public void flush() throws IOException {
            plaintext.flush();
        }

        /** Finishes the codec, which closes (commits) the stored artifact; then records it. */
        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            plaintext.close();
            recordArtifact(new Sidecar.Artifact(file, id.name(), id.owner(), plaintextBytes, storedSide.count(),
                    HexFormat.of().formatHex(digest.digest())));
        }

        @Override
        public void abort() throws IOException {
            done = true;
            stored.abort();
            // frees the codec's native buffers (zstd) now; what it flushes goes to the aborted output
            try {
                plaintext.close();
            } catch (IOException | RuntimeException e) {
                // the artifact is already discarded
            }
        }

        @Override
        public long bytesWritten() {
            return plaintextBytes;
        }
    }

    /** Counts and hashes what passes to the stored artifact; closing it closes (commits) that artifact. */
    private static final class CountingDigestStream extends OutputStream {
        private final OutputStream out;
        private final MessageDigest digest;
        private long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            this.out = out;
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        long count() {
            return count;
        }
    }
}
