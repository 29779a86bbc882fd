package dev.bbr.artifacts.atrest;

import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.codec.AgeRecipients;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.ReadAheadInputStream;
import dev.bbr.artifacts.codec.WrongIdentityException;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.validate.StoredFileChecks;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a backup the way it was stored: with its {@link Sidecar}, artifacts are decoded (decrypted,
 * decompressed) on the fly and each stored file's SHA-256 is checked against the sidecar as its
 * bytes pass; without one (a backup written by Go bbr) the tars are read as they are.
 */
public final class AtRestSource implements BackupSource, StoredFileChecks {
    private final BackupSource store;
    private final Sidecar sidecar; // null for a Go bbr backup
    private final ArtifactCodec codec;
    private final AgeIdentities identities;
    private final java.util.Map<ArtifactId, String> storedMismatches = new java.util.concurrent.ConcurrentHashMap<>();

    private AtRestSource(BackupSource store, Sidecar sidecar, AgeIdentities identities) {
        this.store = store;
        this.sidecar = sidecar;
        this.codec = sidecar == null ? ArtifactCodec.PLAIN : ArtifactCodec.fromDescription(sidecar.codec().description());
        this.identities = identities;
    }

    /** Reads the sidecar, if any; a damaged sidecar is an error (the backup cannot be trusted). */
    public static AtRestSource open(BackupSource store, AgeIdentities identities) throws IOException {
        Optional<byte[]> json = store.readFile(Sidecar.FILE_NAME);
        return new AtRestSource(store, json.isPresent() ? Sidecar.parse(json.get()) : null, identities);
    }

    /** The sidecar; empty for a Go bbr backup. */
    public Optional<Sidecar> sidecar() {
        return Optional.ofNullable(sidecar);
    }

    public ArtifactCodec codec() {
        return codec;
    }

    /**
     * Refuses before anything is read when the backup is encrypted and none of the identities is one
     * of its recipients, naming the recipients (the operator then knows which key to fetch).
     */
    public void requireUsableIdentities() throws WrongIdentityException {
        if (!codec.isEncrypted()) {
            return;
        }
        AgeRecipients recipients = codec.recipients();
        if (identities.isEmpty()) {
            throw new WrongIdentityException("the backup is encrypted with age to " + recipients
                    + "; give the private key of one of them with --identity FILE");
        }
        if (identities.matching(recipients).isEmpty()) {
            throw new WrongIdentityException("none of the identities given with --identity ("
                    + String.join(", ", identities.publicKeys()) + ") is a recipient of this backup; it is"
                    + " encrypted with age to " + recipients);
        }
    }

    @Override
    public BackupMetadata readMetadata() throws IOException {
        return store.readMetadata();
    }

    /**
     * The plaintext tar, decoded as it is read; a stored file that differs from the sidecar fails at
     * its end. A compressed or encrypted artifact is decoded ahead on a thread of its own, so that
     * decoding and whatever reads the tar (verify's hashing, restore's upload) use two cores.
     */
    @Override
    public InputStream openArtifact(ArtifactId id, String storedSuffix) throws IOException {
        if (!storedSuffix.isEmpty()) {
            throw new IllegalArgumentException("the codec names the stored file; no other suffix is allowed");
        }
        InputStream decoded = codec.decode(openStored(id, mismatch -> storedMismatches.put(id, mismatch)),
                identities);
        return codec.isPlain() ? decoded : new ReadAheadInputStream(decoded, "bbr-decode " + BbrLayout.fileName(id,
                codec.suffix()));
    }

    /** A stored file that differed from the sidecar while {@link #openArtifact} read it, if any. */
    @Override
    public Optional<String> storedFileMismatch(ArtifactId id) {
        return Optional.ofNullable(storedMismatches.get(id));
    }

    /** The stored bytes, checked against the sidecar's size and SHA-256 when they end. */
    public InputStream openStored(ArtifactId id) throws IOException {
        return openStored(id, null);
    }

    private InputStream openStored(ArtifactId id, java.util.function.Consumer<String> deferredMismatch)
            throws IOException {
        InputStream stored = store.openArtifact(id, codec.suffix());
        if (sidecar == null) {
            return stored;
        }
        String file = BbrLayout.fileName(id, codec.suffix());
        Sidecar.Artifact expected = sidecar.artifact(file).orElse(null);
        if (expected == null) {
            if (deferredMismatch != null) {
                // restore follows bbr: a file renamed by hand is judged by its contents against metadata
                return stored;
            }
            stored.close();
            throw new IOException(file + " is not listed in " + Sidecar.FILE_NAME);
        }
        return new VerifiedStoredStream(stored, file, expected.storedBytes(), expected.storedSha256(),
                deferredMismatch);
    }

    @Override
    public long plaintextSize(ArtifactId id) throws IOException {
        if (sidecar == null) {
            return store.storedSize(id, "");
        }
        String file = BbrLayout.fileName(id, codec.suffix());
        // not Optional.orElse(store.storedSize(...)): that asked the store every time, and failed on a
        // missing file although the sidecar knows the size; the store is only the fallback
        Optional<Sidecar.Artifact> recorded = sidecar.artifact(file);
        return recorded.isPresent() ? recorded.get().plaintextBytes() : store.storedSize(id, codec.suffix());
    }

    @Override
    public long storedSize(ArtifactId id, String storedSuffix) throws IOException {
        return store.storedSize(id, storedSuffix);
    }

    @Override
    public Optional<byte[]> readFile(String name) throws IOException {
        return store.readFile(name);
    }

    @Override
    public Optional<String> incompleteReason() throws IOException {
        return store.incompleteReason();
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public String location() {
        return store.location();
    }
}
