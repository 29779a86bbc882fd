package dev.bbr.artifacts.tar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The remote half of checksum verification. bbr runs {@code find . -type f | xargs shasum -a 256},
 * which breaks on names with spaces, quotes or newlines and needs Perl; we hash with NUL-safe
 * commands instead (see {@link #command(String)}), which pass names through byte for byte.
 *
 * <p>Most files are hashed by {@code openssl dgst -sha256}: it uses the CPU's SHA extensions (about
 * 1 GB/s here against 0.25 GB/s for coreutils' {@code sha256sum}), so the checksum pass, which runs
 * beside the tar stream on the same instance, neither becomes the tail of a fast drain nor takes
 * the CPU the stream needs. openssl escapes a newline in a name as {@code \n} and leaves a
 * backslash as it is, which is ambiguous, so names holding either go through
 * {@code sha256sum -z}; so does everything on an instance without openssl.
 *
 * <p>Requires coreutils ≥ 8.30 ({@code sha256sum -z}) and GNU findutils/xargs on the VM.
 */
public final class RemoteSha256Output {
    private static final int HEX_LENGTH = 64;

    private RemoteSha256Output() {
    }

    /**
     * The shell command hashing every regular file under a directory. Its output is openssl's
     * lines ({@code <hex> *<name>\n}) for the plain names, one NUL, then {@code sha256sum -z}
     * records for the rest; xargs' exit code tells whether any file could not be read.
     *
     * @param quotedDirectory the directory, already quoted for the remote shell (core quotes every remote value)
     */
    public static String command(String quotedDirectory) {
        // a path with a backslash or a newline anywhere: find's tests for "any such path" and "none"
        String odd = "\\( -path '*\\\\*' -o -path '*\n*' \\)";
        String plain = "! -path '*\\\\*' ! -path '*\n*'";
        return "cd " + quotedDirectory + " && if command -v openssl >/dev/null 2>&1; then"
                + " find . -type f " + plain + " -print0 | xargs -0 -r openssl dgst -sha256 -r"
                + " && printf '\\0' && find . -type f " + odd + " -print0 | xargs -0 -r sha256sum -z;"
                + " else printf '\\0' && find . -type f -print0 | xargs -0 -r sha256sum -z; fi";
    }

    /**
     * Parses {@link #command(String)}'s output: newline-terminated openssl records up to the first
     * NUL, then NUL-terminated {@code sha256sum -z} records. A record is
     * {@code <64 hex><space><space or *><name>}; names are not escaped in either part (the command
     * keeps escaped ones out of the openssl part), so everything after the two separator characters
     * is the name. Names are decoded as UTF-8, as the tar parser does, so both sides agree.
     *
     * @throws IllegalArgumentException on output of another shape
     */
    public static Map<String, String> parse(byte[] output) {
        Map<String, String> checksums = new LinkedHashMap<>();
        int separator = indexOf(output, (byte) 0, 0);
        if (separator < 0) {
            throw new IllegalArgumentException("checksum output has no NUL separator: "
                    + preview(output, 0, output.length));
        }
        int start = 0;
        while (start < separator) {
            int end = indexOf(output, (byte) '\n', start);
            if (end < 0 || end > separator) {
                throw new IllegalArgumentException("openssl output does not end with a newline: "
                        + preview(output, start, separator));
            }
            parseRecord(output, start, end, checksums);
            start = end + 1;
        }
        checksums.putAll(parseNulSeparated(Arrays.copyOfRange(output, separator + 1, output.length)));
        return checksums;
    }

    /**
     * Parses {@code sha256sum -z} output: records {@code <64 hex><space><space or *><name>\0}.
     *
     * @throws IllegalArgumentException on a record that does not have that shape
     */
    public static Map<String, String> parseNulSeparated(byte[] output) {
        Map<String, String> checksums = new LinkedHashMap<>();
        int start = 0;
        while (start < output.length) {
            int end = indexOf(output, (byte) 0, start);
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
        String name = decodeName(output, nameStart, end - nameStart);
        checksums.put(name, hex);
    }

    /**
     * A name as the tar parser (commons-compress) decodes it: UTF-8 with every malformed sequence
     * replaced by {@code ?}. {@code new String(…, UTF_8)} would put U+FFFD there instead, so a file
     * whose name is not UTF-8 (a Latin-1 "café") failed every backup as corrupted (issue 11, A05).
     */
    static String decodeName(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
                    .replaceWith("?")
                    .decode(java.nio.ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
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
