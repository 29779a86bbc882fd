package dev.bbr.artifacts.tar;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The result of reading one tar stream: SHA-256 per regular file (hard links included, with their
 * target's digest), keyed by the exact tar header name, in archive order; plus what was seen but not
 * hashed, what would be unsafe to extract, and whether the map can be trusted at all.
 */
public final class TarChecksums {
    private final Map<String, String> checksums;
    private final long bytesCopied;
    private final int entryCount;
    private final Map<String, TarEntryKind> unhashedEntries;
    private final Map<String, String> unsafeEntries;
    private final VerificationStatus status;
    private final String statusDetail;

    TarChecksums(Map<String, String> checksums, long bytesCopied, int entryCount,
                 Map<String, TarEntryKind> unhashedEntries, Map<String, String> unsafeEntries,
                 VerificationStatus status, String statusDetail) {
        this.checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
        this.bytesCopied = bytesCopied;
        this.entryCount = entryCount;
        this.unhashedEntries = Collections.unmodifiableMap(new LinkedHashMap<>(unhashedEntries));
        this.unsafeEntries = Collections.unmodifiableMap(new LinkedHashMap<>(unsafeEntries));
        this.status = status;
        this.statusDetail = statusDetail;
    }

    /** tar name ({@code ./dir/file}) → lowercase hex SHA-256, archive order. */
    public Map<String, String> checksums() {
        return checksums;
    }

    /** Every byte of the input, including end-of-archive padding. */
    public long bytesCopied() {
        return bytesCopied;
    }

    /** Entries returned by the parser (directories and specials included, GNU/PAX meta entries not). */
    public int entryCount() {
        return entryCount;
    }

    /** Symlinks, devices, fifos and unresolved hard links, which are not in {@link #checksums()}. */
    public Map<String, TarEntryKind> unhashedEntries() {
        return unhashedEntries;
    }

    /** Entry name → why extracting it would be unsafe (absolute, {@code ..}, device). */
    public Map<String, String> unsafeEntries() {
        return unsafeEntries;
    }

    public VerificationStatus status() {
        return status;
    }

    /** For UNAVAILABLE/MALFORMED: what went wrong, for the log and the error text. */
    public Optional<String> statusDetail() {
        return Optional.ofNullable(statusDetail);
    }

    public boolean verified() {
        return status == VerificationStatus.VERIFIED;
    }

    @Override
    public String toString() {
        return "TarChecksums[" + checksums.size() + " files, " + bytesCopied + " bytes, " + status
                + (statusDetail == null ? "" : " (" + statusDetail + ")") + "]";
    }
}
