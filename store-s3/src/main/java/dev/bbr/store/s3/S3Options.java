package dev.bbr.store.s3;

import dev.bbr.store.remote.TransferOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the S3 store talks to the bucket.
 *
 * @param transfer part size, parts in flight and retries of streaming uploads
 * @param checksums whether the SDK adds its CRC32 checksums (an aws-chunked trailer on every upload) and
 *        validates them on download: {@link Checksums#AUTO} is {@code WHEN_REQUIRED} when an endpoint is
 *        set (S3-compatible stores often reject the trailer) and {@code WHEN_SUPPORTED} on AWS
 * @param pathStyle path-style addressing ({@code endpoint/bucket/key}); null: on when an endpoint is set
 * @param staleUploadAge incomplete multipart uploads under a deleted backup that are older than this are
 *        aborted by {@code delete}
 */
public record S3Options(TransferOptions transfer, Checksums checksums, Boolean pathStyle, Duration staleUploadAge) {

    /** The SDK's request checksum calculation and response validation. */
    public enum Checksums {
        AUTO, WHEN_REQUIRED, WHEN_SUPPORTED;

        public static Checksums parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
                case "auto" -> AUTO;
                case "when_required" -> WHEN_REQUIRED;
                case "when_supported" -> WHEN_SUPPORTED;
                default -> throw new IllegalArgumentException(ENV_CHECKSUMS + "=" + value
                        + " is invalid: expected auto, when_required or when_supported");
            };
        }
    }

    /** S3 refuses parts smaller than this (except the last). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final String ENV_CHECKSUMS = "BBR_S3_CHECKSUMS";
    public static final String ENV_PATH_STYLE = "BBR_S3_PATH_STYLE";

    public S3Options {
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(checksums, "checksums");
        Objects.requireNonNull(staleUploadAge, "staleUploadAge");
        if (transfer.partSize() < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + transfer.partSize());
        }
    }

    public static S3Options defaults() {
        return new S3Options(TransferOptions.defaults(), Checksums.AUTO, null, Duration.ofDays(1));
    }

    /**
     * {@link TransferOptions#fromEnv(Map)} plus {@value #ENV_CHECKSUMS} ({@code auto}, {@code when_required},
     * {@code when_supported}) and {@value #ENV_PATH_STYLE} ({@code true}/{@code false}).
     */
    public static S3Options fromEnv(Map<String, String> env) {
        S3Options o = defaults().withTransfer(TransferOptions.fromEnv(env));
        String checksums = env.get(ENV_CHECKSUMS);
        if (checksums != null && !checksums.isBlank()) {
            o = o.withChecksums(Checksums.parse(checksums));
        }
        String pathStyle = env.get(ENV_PATH_STYLE);
        if (pathStyle != null && !pathStyle.isBlank()) {
            o = o.withPathStyle(Boolean.parseBoolean(pathStyle.trim()));
        }
        return o;
    }

    public S3Options withTransfer(TransferOptions t) {
        return new S3Options(t, checksums, pathStyle, staleUploadAge);
    }

    public S3Options withChecksums(Checksums c) {
        return new S3Options(transfer, c, pathStyle, staleUploadAge);
    }

    public S3Options withPathStyle(Boolean p) {
        return new S3Options(transfer, checksums, p, staleUploadAge);
    }

    public S3Options withStaleUploadAge(Duration age) {
        return new S3Options(transfer, checksums, pathStyle, age);
    }
}
