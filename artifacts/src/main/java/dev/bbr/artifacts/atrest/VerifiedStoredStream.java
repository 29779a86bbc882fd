package dev.bbr.artifacts.atrest;

import dev.bbr.artifacts.codec.CorruptArtifactException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A stored file read through its digest: when it ends (or is closed early, then its remainder is
 * read), its size and SHA-256 must be what the sidecar recorded, or the read fails. So a restore or a
 * verify checks the stored bytes in the same pass that decodes them. In deferred mode a mismatch is
 * handed to a listener instead of failing the read, so that bbr's own verdict on the contents (its
 * {@code Backup is corrupted, checksum failed …} message) is reached and reported first.
 */
final class VerifiedStoredStream extends FilterInputStream {
    private final String file;
    private final long expectedBytes;
    private final String expectedSha256;
    private final MessageDigest digest = Digests.newSha256();
    private long count;
    private final java.util.function.Consumer<String> deferredMismatch; // null: fail the read
    private boolean checked;

    VerifiedStoredStream(InputStream in, String file, long expectedBytes, String expectedSha256) {
        this(in, file, expectedBytes, expectedSha256, null);
    }

    VerifiedStoredStream(InputStream in, String file, long expectedBytes, String expectedSha256,
            java.util.function.Consumer<String> deferredMismatch) {
        super(in);
        this.file = file;
        this.expectedBytes = expectedBytes;
        this.expectedSha256 = expectedSha256;
        this.deferredMismatch = deferredMismatch;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            check();
        } else {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            check();
        } else {
            digest.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** A decoder may stop before the end (a zstd frame, age's last chunk): the rest is read to check it all. */
    @Override
    public void close() throws IOException {
        try {
            if (!checked) {
                transferTo(OutputStream.nullOutputStream());
                check();
            }
        } finally {
            in.close();
        }
    }

    private void check() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        String actual = HexFormat.of().formatHex(digest.digest());
        if (count != expectedBytes || !actual.equals(expectedSha256)) {
            String mismatch = file + " does not match " + Sidecar.FILE_NAME + ": " + count + " bytes with SHA-256 "
                    + actual + ", recorded " + expectedBytes + " bytes with SHA-256 " + expectedSha256;
            if (deferredMismatch != null) {
                deferredMismatch.accept(mismatch);
                return;
            }
            throw new CorruptArtifactException(mismatch, null);
        }
    }
}
