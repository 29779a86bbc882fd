package dev.bbr.artifacts.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * How an artifact's tar stream is stored: compressed, then encrypted with age, while it streams.
 * {@link #PLAIN} (no compression, no recipients) is the identity: the stored bytes are the tar itself,
 * so plain backups stay byte-compatible with Go bbr's {@code .tar}.
 */
public final class ArtifactCodec {
    public static final ArtifactCodec PLAIN = new ArtifactCodec(Compression.NONE, AgeRecipients.none());
    static final String AGE_SUFFIX = ".age";

    private final Compression compression;
    private final AgeRecipients recipients;

    private ArtifactCodec(Compression compression, AgeRecipients recipients) {
        this.compression = Objects.requireNonNull(compression, "compression");
        this.recipients = Objects.requireNonNull(recipients, "recipients");
    }

    public static ArtifactCodec of(Compression compression, AgeRecipients recipients) {
        return compression.isNone() && recipients.isEmpty() ? PLAIN : new ArtifactCodec(compression, recipients);
    }

    /** Rebuilds the codec a backup was written with, from its record. */
    public static ArtifactCodec fromDescription(CodecDescription description) {
        return of(Compression.parse(description.compression()), AgeRecipients.parse(description.recipients()));
    }

    public CodecDescription describe() {
        return new CodecDescription(compression.name(), recipients.publicKeys());
    }

    public boolean isPlain() {
        return compression.isNone() && recipients.isEmpty();
    }

    public boolean isEncrypted() {
        return !recipients.isEmpty();
    }

    public Compression compression() {
        return compression;
    }

    public AgeRecipients recipients() {
        return recipients;
    }

    /** What to append to {@code .tar}: {@code ""}, {@code ".zst"}, {@code ".gz.age"}, {@code ".zst.age"}, {@code ".age"}. */
    public String suffix() {
        return compression.suffix() + (isEncrypted() ? AGE_SUFFIX : "");
    }

    /**
     * The stream to write the plaintext tar into. Closing it ends the compression and the age stream and
     * then closes {@code stored}; if ending fails, {@code stored} stays open so the caller can abort it
     * rather than commit a truncated artifact. {@link #PLAIN} returns {@code stored} itself.
     */
    public OutputStream encode(OutputStream stored) throws IOException {
        if (isPlain()) {
            return stored;
        }
        return EncodingOutputStream.over(stored, sink -> {
            OutputStream encrypted = isEncrypted() ? AgeStreams.encrypt(sink, recipients) : sink;
            return compression.compress(encrypted);
        });
    }

    /**
     * The plaintext tar of {@code stored}. An encrypted artifact's header is read at once: no identity
     * matching the recorded recipients, or none able to unwrap the key, is a {@link WrongIdentityException}
     * before anything is decrypted. Damage found while reading (truncation, modified bytes, a broken
     * compressed stream) is a {@link CorruptArtifactException}; read errors of {@code stored} pass through.
     * {@link #PLAIN} returns {@code stored} itself and ignores {@code identities}.
     */
    public InputStream decode(InputStream stored, AgeIdentities identities) throws IOException {
        if (isPlain()) {
            return stored;
        }
        SourceWitness source = new SourceWitness(stored);
        InputStream decrypted = source;
        if (isEncrypted()) {
            decrypted = AgeStreams.decrypt(source, usableIdentities(identities));
        }
        if (compression.isNone()) {
            return decrypted;
        }
        InputStream decompressed;
        try {
            decompressed = compression.decompress(decrypted);
        } catch (IOException e) {
            // gzip reads its header in the constructor
            throw DamageReportingInputStream.translate(e, source, decompressionDamage());
        }
        return new DamageReportingInputStream(decompressed, source, decompressionDamage());
    }

    private String decompressionDamage() {
        return compression.describeData() + " is truncated or corrupt";
    }

    /** The given identities that fit the recorded recipients, checked without reading the artifact. */
    private AgeIdentities usableIdentities(AgeIdentities identities) throws WrongIdentityException {
        if (identities.isEmpty()) {
            throw new WrongIdentityException("the artifact is encrypted with age to " + recipients
                    + " and no identity was given to decrypt it");
        }
        AgeIdentities matching = identities.matching(recipients);
        if (matching.isEmpty()) {
            throw new WrongIdentityException("none of the given age identities (" + String.join(", ", identities.publicKeys())
                    + ") is a recipient of this artifact; it is encrypted to " + recipients);
        }
        return matching;
    }

    /** For logs and records: {@code zstd:3 + age (2 recipients)}, {@code plain}. */
    @Override
    public String toString() {
        if (isPlain()) {
            return "plain";
        }
        String age = recipients.publicKeys().size() == 1 ? "age (1 recipient)" : "age (" + recipients.publicKeys().size() + " recipients)";
        if (compression.isNone()) {
            return age;
        }
        return isEncrypted() ? compression.name() + " + " + age : compression.name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactCodec && ((ArtifactCodec) o).compression.equals(compression)
                && ((ArtifactCodec) o).recipients.equals(recipients);
    }

    @Override
    public int hashCode() {
        return compression.hashCode() * 31 + recipients.hashCode();
    }
}
