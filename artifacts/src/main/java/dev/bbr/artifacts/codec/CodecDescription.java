package dev.bbr.artifacts.codec;

import java.util.List;
import java.util.Objects;

/**
 * What a backup's record says about how its artifacts were encoded: the compression's {@link Compression#name()}
 * and the age recipients' public keys (empty when not encrypted). Enough to decode again, and to tell
 * before decrypting whether an operator's identities fit.
 */
public record CodecDescription(String compression, List<String> recipients) {
    public CodecDescription {
        Objects.requireNonNull(compression, "compression");
        recipients = List.copyOf(recipients);
    }
}
