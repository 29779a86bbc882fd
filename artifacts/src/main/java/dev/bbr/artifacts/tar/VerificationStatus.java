package dev.bbr.artifacts.tar;

/**
 * Whether the per-file checksums of a tar stream could be computed. Kept apart from a checksum
 * mismatch: an archive our parser cannot read (e.g. a huge GNU sparse file) is not evidence of
 * corruption, and the bytes were still copied in full.
 */
public enum VerificationStatus {
    /** Every entry was parsed; the checksum map is complete. */
    VERIFIED,
    /** The parser gave up on a stream that is framed like a complete tar; checksums are partial. */
    UNAVAILABLE,
    /** The stream is not a complete tar (truncated, no end-of-archive marker, garbage). */
    MALFORMED
}
