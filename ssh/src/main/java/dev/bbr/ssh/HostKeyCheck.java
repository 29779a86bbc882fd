package dev.bbr.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * How a server's host key is checked. Each connection attempt gets a fresh {@link Verifier} so the
 * reason for a refusal can be reported instead of sshj's generic "could not verify" text.
 */
public interface HostKeyCheck {

    /** A verifier for one connection attempt. */
    Verifier newVerifier();

    /**
     * Host key algorithms the client may offer, or empty for no restriction. A pinned RSA key
     * allows only RSA signature algorithms so the server cannot answer with its ed25519 key.
     */
    default List<String> allowedHostKeyAlgorithms() {
        return List.of();
    }

    /** sshj verifier that remembers why it refused. */
    interface Verifier extends HostKeyVerifier {
        /** Human-readable reason of the last refusal, if any. */
        Optional<String> rejection();
    }

    /**
     * Accepts exactly the key of an authorized_keys-style line, e.g. the Director's
     * {@code host_public_key} ("ssh-rsa AAAA... root@host\n").
     *
     * @throws IllegalArgumentException if the line cannot be parsed
     */
    static HostKeyCheck pinned(String authorizedKeyLine) {
        return new PinnedHostKey(PublicKeys.parseAuthorizedKey(authorizedKeyLine));
    }

    /**
     * Checks {@code knownHostsFile} (OpenSSH format, hashed names supported). A listed host must
     * present one of its listed keys; an unlisted host is accepted and reported to
     * {@code onFirstUse} with its SHA256 fingerprint. The file is never written.
     */
    static HostKeyCheck knownHostsOrTrustOnFirstUse(Path knownHostsFile, Consumer<String> onFirstUse) {
        return new KnownHostsCheck(knownHostsFile, onFirstUse);
    }
}
