package dev.bbr.store.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic incompressible test data, streamed and hashed without holding it in memory. */
public final class TestBytes {
    private static final int BLOCK = 1 << 20;
    private static final byte[] RANDOM = new byte[BLOCK + 8];

    static {
        new SplittableRandom(42).nextBytes(RANDOM);
    }

    private TestBytes() {
    }

    /** Writes {@code size} bytes of stream {@code seed} in {@code chunk}-byte writes; returns their SHA-256. */
    public static String write(OutputStream out, long size, int seed, int chunk) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[chunk];
        long done = 0;
        while (done < size) {
            int n = (int) Math.min(chunk, size - done);
            fill(buffer, n, done, seed);
            sha.update(buffer, 0, n);
            out.write(buffer, 0, n);
            done += n;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The SHA-256 and length of everything {@code in} yields. */
    public static Digest read(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
            total += n;
        }
        return new Digest(HexFormat.of().formatHex(sha.digest()), total);
    }

    /** A digest and the number of bytes it covers. */
    public record Digest(String sha256, long size) {
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static void fill(byte[] buffer, int n, long position, int seed) {
        for (int i = 0; i < n; ) {
            long p = position + i;
            int offsetInBlock = (int) (p % BLOCK);
            int len = Math.min(n - i, BLOCK - offsetInBlock);
            System.arraycopy(RANDOM, offsetInBlock, buffer, i, len);
            // vary every block by its index and the seed, so no two MiB of a stream are equal
            long tag = (p / BLOCK) * 31 + seed;
            for (int k = 0; k < Math.min(8, len); k++) {
                buffer[i + k] ^= (byte) (tag >>> (8 * k));
            }
            i += len;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
