package dev.bbr.ssh;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.KeyType;

/** Accepts one exact host key (bbr's FixedHostKey), comparing SSH wire blobs. */
final class PinnedHostKey implements HostKeyCheck {

    private final byte[] pinnedBlob;
    private final String pinnedFingerprint;
    private final List<String> algorithms;

    PinnedHostKey(PublicKey pinned) {
        this.pinnedBlob = PublicKeys.blob(pinned);
        this.pinnedFingerprint = PublicKeys.fingerprint(pinnedBlob);
        this.algorithms = PublicKeys.hostKeyAlgorithms(KeyType.fromKey(pinned));
    }

    @Override
    public List<String> allowedHostKeyAlgorithms() {
        return algorithms;
    }

    @Override
    public Verifier newVerifier() {
        return new Verifier() {
            private volatile String rejection;

            @Override
            public boolean verify(String hostname, int port, PublicKey key) {
                if (Arrays.equals(pinnedBlob, PublicKeys.blob(key))) {
                    return true;
                }
                rejection = "Host key verification failed for " + new HostAndPort(hostname, port)
                        + ": expected the key reported by the BOSH Director (" + pinnedFingerprint
                        + ") but the server presented " + PublicKeys.fingerprint(key)
                        + "; the VM may have been recreated since the SSH setup, retry the command";
                return false;
            }

            @Override
            public List<String> findExistingAlgorithms(String hostname, int port) {
                return algorithms; // sshj moves these to the front of its proposal
            }

            @Override
            public Optional<String> rejection() {
                return Optional.ofNullable(rejection);
            }
        };
    }

    @Override
    public String toString() {
        return "pinned host key " + pinnedFingerprint;
    }
}
