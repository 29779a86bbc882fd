package dev.bbr.artifacts.atrest;

import java.time.Instant;

/**
 * One backup as {@code bbr artifacts list} shows it.
 *
 * @param storedBytes what the backup takes in the store
 * @param codec       {@code plain}, {@code zstd:3 + age (2 recipients)}, or {@code plain (Go bbr)}
 * @param detail      why it is incomplete, or when it was verified; empty otherwise
 */
public record BackupSummary(String name, String deployment, Instant time, long storedBytes, BackupState state,
        String codec, String detail) {}
