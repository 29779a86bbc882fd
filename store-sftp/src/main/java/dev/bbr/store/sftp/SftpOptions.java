package dev.bbr.store.sftp;

import dev.bbr.store.remote.TransferOptions;
import java.util.Map;
import java.util.Objects;

/** How the SFTP store writes: parts of {@code transfer.partSize()} written at their offsets, in parallel. */
public record SftpOptions(TransferOptions transfer) {
    public SftpOptions {
        Objects.requireNonNull(transfer, "transfer");
    }

    public static SftpOptions defaults() {
        return new SftpOptions(TransferOptions.defaults());
    }

    public static SftpOptions fromEnv(Map<String, String> env) {
        return new SftpOptions(TransferOptions.fromEnv(env));
    }
}
