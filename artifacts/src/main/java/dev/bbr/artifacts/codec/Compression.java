package dev.bbr.artifacts.codec;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How an artifact's tar stream is compressed: {@code none}, {@code gzip}, or {@code zstd[:LEVEL]}
 * (the {@code --compress} value). {@code none} is the identity, so plain artifacts stay byte for byte
 * what Go bbr writes.
 */
public final class Compression {
    public static final int DEFAULT_ZSTD_LEVEL = 3;
    static final int MIN_ZSTD_LEVEL = 1;
    static final int MAX_ZSTD_LEVEL = 19;
    static final String ACCEPTED_FORMS = "none, gzip, zstd or zstd:LEVEL with LEVEL 1..19";

    /** Deflate and zstd both work in blocks; 64 KiB keeps per-call overhead low and memory fixed. */
    private static final int GZIP_BUFFER_SIZE = 64 * 1024;

    public static final Compression NONE = new Compression(Algorithm.NONE, 0);
    public static final Compression GZIP = new Compression(Algorithm.GZIP, 0);

    private enum Algorithm { NONE, GZIP, ZSTD }

    private final Algorithm algorithm;
    private final int level;

    private Compression(Algorithm algorithm, int level) {
        this.algorithm = algorithm;
        this.level = level;
    }

    public static Compression zstd(int level) {
        if (level < MIN_ZSTD_LEVEL || level > MAX_ZSTD_LEVEL) {
            throw new IllegalArgumentException("invalid compression 'zstd:" + level + "': expected " + ACCEPTED_FORMS);
        }
        return new Compression(Algorithm.ZSTD, level);
    }

    /** Parses a {@code --compress} value; the message of a refusal names the value and the accepted forms. */
    public static Compression parse(String value) {
        Objects.requireNonNull(value, "compression");
        switch (value) {
            case "none":
                return NONE;
            case "gzip":
                return GZIP;
            case "zstd":
                return zstd(DEFAULT_ZSTD_LEVEL);
            default:
                break;
        }
        String levelText = value.startsWith("zstd:") ? value.substring("zstd:".length()) : null;
        // Digits only: Integer.parseInt would also take "+3" or non-ASCII digits.
        if (levelText == null || levelText.isEmpty() || levelText.length() > 2 || !levelText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid compression '" + value + "': expected " + ACCEPTED_FORMS);
        }
        int parsed = Integer.parseInt(levelText);
        if (parsed < MIN_ZSTD_LEVEL || parsed > MAX_ZSTD_LEVEL) {
            throw new IllegalArgumentException("invalid compression '" + value + "': expected " + ACCEPTED_FORMS);
        }
        return new Compression(Algorithm.ZSTD, parsed);
    }

    public boolean isNone() {
        return algorithm == Algorithm.NONE;
    }

    /** The name for records and logs, which {@link #parse} reads back: {@code none}, {@code gzip}, {@code zstd:3}. */
    public String name() {
        switch (algorithm) {
            case GZIP:
                return "gzip";
            case ZSTD:
                return "zstd:" + level;
            default:
                return "none";
        }
    }

    /** What this compression adds after {@code .tar}: {@code ""}, {@code ".gz"} or {@code ".zst"}. */
    public String suffix() {
        switch (algorithm) {
            case GZIP:
                return ".gz";
            case ZSTD:
                return ".zst";
            default:
                return "";
        }
    }

    /**
     * Wraps {@code out}: bytes written are compressed into it; closing ends the frame and closes {@code out}.
     * {@code none} returns {@code out} itself.
     */
    public OutputStream compress(OutputStream out) throws IOException {
        switch (algorithm) {
            case GZIP:
                return new GZIPOutputStream(out, GZIP_BUFFER_SIZE);
            case ZSTD:
                // The finalizing ZstdOutputStream (not ...NoFinalizer): a stream abandoned after a failed
                // write still frees its native context. The checksum matches the zstd CLI's default, so
                // damage in a compressed-only artifact is detected on decompression.
                return new ZstdOutputStream(out, level).setChecksum(true);
            default:
                return out;
        }
    }

    /** Wraps {@code in}: reads return the decompressed bytes. {@code none} returns {@code in} itself. */
    public InputStream decompress(InputStream in) throws IOException {
        switch (algorithm) {
            case GZIP:
                return new GZIPInputStream(in, GZIP_BUFFER_SIZE);
            case ZSTD:
                return ZstdFrameInputStream.over(in);
            default:
                return in;
        }
    }

    /** Which kind of data a decompression failure was found in, for messages. */
    String describeData() {
        return algorithm.name().toLowerCase(Locale.ROOT) + "-compressed data";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compression && ((Compression) o).algorithm == algorithm && ((Compression) o).level == level;
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + level;
    }

    @Override
    public String toString() {
        return name();
    }
}
