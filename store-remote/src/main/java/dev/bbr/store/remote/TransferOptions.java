package dev.bbr.store.remote;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How artifacts stream to a remote store: parts of {@code partSize} bytes, at most {@code partsInFlight}
 * of them uploading while the next one fills, so an artifact holds at most {@code partSize ×
 * (partsInFlight + 1)} bytes of memory whatever its size and however slow the store. A failed part (or
 * the start or commit of the upload) is tried {@code attempts} times in all, waiting {@code
 * initialBackoff}, doubling up to {@code maxBackoff}, reusing the same upload: a store that goes away
 * and comes back within that window loses nothing already uploaded.
 *
 * @param stats counters of the upload pipeline (buffers, retries); one per store, shared by its uploads
 */
public record TransferOptions(int partSize, int partsInFlight, int attempts, Duration initialBackoff,
                              Duration maxBackoff, TransferStats stats) {

    public static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;
    public static final int DEFAULT_PARTS_IN_FLIGHT = 4;
    public static final int DEFAULT_ATTEMPTS = 8;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    /** Environment variables read by {@link #fromEnv(Map)}. */
    public static final String ENV_PART_SIZE = "BBR_STORE_PART_SIZE";
    public static final String ENV_PARTS_IN_FLIGHT = "BBR_STORE_PARTS_IN_FLIGHT";
    public static final String ENV_ATTEMPTS = "BBR_STORE_ATTEMPTS";

    public TransferOptions {
        if (partSize < 1024) {
            throw new IllegalArgumentException("part size must be at least 1 KiB, got " + partSize);
        }
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("parts in flight must be at least 1, got " + partsInFlight);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (stats == null) {
            stats = new TransferStats();
        }
    }

    /** 16 MiB parts, 4 in flight, 8 attempts from 1 s backing off to 30 s (about two minutes in all). */
    public static TransferOptions defaults() {
        return new TransferOptions(DEFAULT_PART_SIZE, DEFAULT_PARTS_IN_FLIGHT, DEFAULT_ATTEMPTS,
                DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, new TransferStats());
    }

    /**
     * The defaults overridden by {@value #ENV_PART_SIZE} ({@code 16MiB}, {@code 8M}, or bytes),
     * {@value #ENV_PARTS_IN_FLIGHT} and {@value #ENV_ATTEMPTS}.
     */
    public static TransferOptions fromEnv(Map<String, String> env) {
        TransferOptions o = defaults();
        String size = env.get(ENV_PART_SIZE);
        if (size != null && !size.isBlank()) {
            o = o.withPartSize(parseSize(ENV_PART_SIZE, size));
        }
        String inFlight = env.get(ENV_PARTS_IN_FLIGHT);
        if (inFlight != null && !inFlight.isBlank()) {
            o = o.withPartsInFlight(parseInt(ENV_PARTS_IN_FLIGHT, inFlight));
        }
        String attempts = env.get(ENV_ATTEMPTS);
        if (attempts != null && !attempts.isBlank()) {
            o = o.withRetries(parseInt(ENV_ATTEMPTS, attempts), o.initialBackoff, o.maxBackoff);
        }
        return o;
    }

    public TransferOptions withPartSize(int bytes) {
        return new TransferOptions(bytes, partsInFlight, attempts, initialBackoff, maxBackoff, stats);
    }

    public TransferOptions withPartsInFlight(int parts) {
        return new TransferOptions(partSize, parts, attempts, initialBackoff, maxBackoff, stats);
    }

    public TransferOptions withRetries(int totalAttempts, Duration initial, Duration max) {
        return new TransferOptions(partSize, partsInFlight, totalAttempts, initial, max, stats);
    }

    public TransferOptions withStats(TransferStats counters) {
        return new TransferOptions(partSize, partsInFlight, attempts, initialBackoff, maxBackoff, counters);
    }

    /** The most bytes of part buffers one artifact's upload holds. */
    public long memoryBound() {
        return (long) partSize * (partsInFlight + 1);
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?");

    static int parseSize(String variable, String value) {
        Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(variable + "=" + value + " is not a size: give bytes or e.g. 16MiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long bytes = switch (unit.charAt(0)) {
            case 'k' -> n * 1024;
            case 'm' -> n * 1024 * 1024;
            case 'g' -> n * 1024 * 1024 * 1024;
            default -> n;
        };
        if (bytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(variable + "=" + value + " is too large: at most 2 GiB");
        }
        return (int) bytes;
    }

    private static int parseInt(String variable, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + "=" + value + " is not a number");
        }
    }
}
