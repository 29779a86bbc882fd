package dev.bbr.artifacts.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Deterministic test content generated on the fly (never held whole): 64 KiB blocks alternating
 * between random bytes (incompressible, like already-compressed database dumps) and repetitive text
 * (like logs and SQL), so both the fast and the slow paths of a compressor are exercised.
 */
final class TestData {
    private static final int BLOCK = 64 * 1024;

    private TestData() {
    }

    static InputStream stream(long size, long seed) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private final byte[] block = new byte[BLOCK];
            private int blockPos = BLOCK;
            private long remaining = size;
            private long blocks;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (remaining == 0) {
                    return -1;
                }
                if (blockPos == BLOCK) {
                    fill();
                }
                int n = (int) Math.min(Math.min(len, BLOCK - blockPos), remaining);
                System.arraycopy(block, blockPos, b, off, n);
                blockPos += n;
                remaining -= n;
                return n;
            }

            private void fill() {
                if (blocks++ % 2 == 0) {
                    random.nextBytes(block);
                } else {
                    byte[] line = ("INSERT INTO t VALUES (" + random.nextInt(1000) + ", 'row data');\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < BLOCK; i++) {
                        block[i] = line[i % line.length];
                    }
                }
                blockPos = 0;
            }
        };
    }

    static byte[] bytes(int size, long seed) throws IOException {
        return stream(size, seed).readAllBytes();
    }

    static Path file(Path file, long size, long seed) throws IOException {
        try (InputStream in = stream(size, seed); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        return file;
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(Path file) throws IOException {
        return sha256(Files.newInputStream(file));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
