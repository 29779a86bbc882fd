package dev.bbr.store.azure;

import dev.bbr.store.remote.TransferOptions;
import java.util.Map;
import java.util.Objects;

/**
 * How the Azure store uploads: blocks of {@code transfer.partSize()} staged {@code partsInFlight} at a
 * time and committed as one block list on close.
 */
public record AzureOptions(TransferOptions transfer) {
    /** Azure's largest block. */
    public static final long MAX_BLOCK_SIZE = 4000L * 1024 * 1024;

    public AzureOptions {
        Objects.requireNonNull(transfer, "transfer");
        if (transfer.partSize() > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("Azure blocks are at most 4000 MiB");
        }
    }

    public static AzureOptions defaults() {
        return new AzureOptions(TransferOptions.defaults());
    }

    /** {@link TransferOptions#fromEnv(Map)}. */
    public static AzureOptions fromEnv(Map<String, String> env) {
        return new AzureOptions(TransferOptions.fromEnv(env));
    }
}
