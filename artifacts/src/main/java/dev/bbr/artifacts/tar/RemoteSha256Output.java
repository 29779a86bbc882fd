package dev.bbr.artifacts.tar;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The remote half of checksum verification. bbr runs {@code find . -type f | xargs shasum -a 256},
 * which breaks on names with spaces, quotes or newlines and needs Perl; we run GNU coreutils with NUL
 * separators end to end instead (see {@link #command(String)}), which passes names through byte for
 * byte.
 *
 * <p>Requires coreutils ≥ 8.30 ({@code sha256sum -z}) and GNU findutils/xargs on the VM.
 */
public final class RemoteSha256Output {
    private static final int HEX_LENGTH = 64;

    private RemoteSha256Output() {
    }

    /**
     * The shell command hashing every regular file under a directory.
     *
     * @param quotedDirectory the directory, already quoted for the remote shell (core quotes every remote value)
     */
    public static String command(String quotedDirectory) {
        return "cd " + quotedDirectory + " && find . -type f -print0 | xargs -0 -r sha256sum -z";
    }

    /**
     * Parses {@code sha256sum -z} output: records {@code <64 hex><space><space or *><name>\0}; names are
     * not escaped in this mode, so everything after the two separator characters up to the NUL is the
     * name. Names are decoded as UTF-8, as the tar parser does, so both sides agree.
     *
     * @throws IllegalArgumentException on a record that does not have that shape
     */
    public static Map<String, String> parseNulSeparated(byte[] output) {
        Map<String, String> checksums = new LinkedHashMap<>();
        int start = 0;
        while (start < output.length) {
            int end = indexOfNul(output, start);
            if (end < 0) {
                throw new IllegalArgumentException("sha256sum output does not end with NUL: "
                        + preview(output, start, output.length));
            }
            parseRecord(output, start, end, checksums);
            start = end + 1;
        }
        return checksums;
    }

    private static void parseRecord(byte[] output, int start, int end, Map<String, String> checksums) {
        int nameStart = start + HEX_LENGTH + 2;
        if (end - start <= HEX_LENGTH + 2 || output[start + HEX_LENGTH] != ' '
                || (output[start + HEX_LENGTH + 1] != ' ' && output[start + HEX_LENGTH + 1] != '*')) {
            throw new IllegalArgumentException("unexpected sha256sum record: " + preview(output, start, end));
        }
        String hex = new String(output, start, HEX_LENGTH, StandardCharsets.US_ASCII);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("unexpected sha256sum digest: " + preview(output, start, end));
        }
        String name = new String(output, nameStart, end - nameStart, StandardCharsets.UTF_8);
        checksums.put(name, hex);
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String preview(byte[] bytes, int start, int end) {
        int length = Math.min(end - start, 120);
        return new String(bytes, start, Math.max(0, length), StandardCharsets.UTF_8);
    }
}
