package dev.bbr.artifacts.codec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The output of one decoding layer (decryption or decompression): a failure it raises itself becomes a
 * {@link CorruptArtifactException} that says which layer found the damage; failures of the storage and
 * reports of a lower layer pass through unchanged.
 */
final class DamageReportingInputStream extends FilterInputStream {
    private final SourceWitness source;
    private final String damage;

    /** @param damage the message, e.g. "zstd-compressed data is truncated or corrupt" */
    DamageReportingInputStream(InputStream decoded, SourceWitness source, String damage) {
        super(decoded);
        this.source = source;
        this.damage = damage;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw translated(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw translated(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw translated(e);
        }
    }

    private IOException translated(IOException e) {
        return translate(e, source, damage);
    }

    static IOException translate(IOException e, SourceWitness source, String damage) {
        if (source.threw(e) || e instanceof CorruptArtifactException || e instanceof WrongIdentityException) {
            return e;
        }
        return new CorruptArtifactException(damage + " (" + rootMessage(e) + ")", e);
    }

    /** The innermost cause says most ("Tag mismatch", "Truncated source"); wrappers add counters and noise. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root instanceof java.io.EOFException ? "unexpected end of data" : root.getClass().getSimpleName();
        }
        return message.strip();
    }
}
