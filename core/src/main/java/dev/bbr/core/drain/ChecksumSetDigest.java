package dev.bbr.core.drain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One SHA-256 for a whole artifact's file checksums (over the sorted {@code <path> <sha256>\n}
 * lines), so an event can name what was verified without listing thousands of files.
 */
final class ChecksumSetDigest {
    private ChecksumSetDigest() {}

    static String of(Map<String, String> checksums) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(checksums).forEach((path, sha) ->
                    digest.update((path + " " + sha + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
