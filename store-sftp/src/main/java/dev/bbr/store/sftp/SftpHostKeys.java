package dev.bbr.store.sftp;

import dev.bbr.ssh.HostKeyCheck;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * How the SFTP server's host key is checked: pinned by its SHA256 fingerprint ({@code ?fingerprint=}),
 * or listed in a known_hosts file. Strict: a host that is not listed is refused, with its fingerprint
 * in the message so the operator can check and pin it (a backup store is no place for trust on first use).
 */
final class SftpHostKeys implements HostKeyCheck {
    private final Optional<String> fingerprint;
    private final Path knownHosts;

    private SftpHostKeys(Optional<String> fingerprint, Path knownHosts) {
        this.fingerprint = fingerprint;
        this.knownHosts = knownHosts;
    }

    static SftpHostKeys pinned(String fingerprint) {
        return new SftpHostKeys(Optional.of(fingerprint), null);
    }

    static SftpHostKeys knownHosts(Path file) {
        return new SftpHostKeys(Optional.empty(), file);
    }

    /** {@code SHA256:<base64 without padding>} of the key's SSH wire form, as ssh-keygen -l prints it. */
    static String fingerprint(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Verifier newVerifier() {
        return new Verifier() {
            private volatile String rejection;

            @Override
            public boolean verify(String host, int port, PublicKey key) {
                String presented = fingerprint(key);
                String name = port == 22 ? host : "[" + host + "]:" + port;
                if (fingerprint.isPresent()) {
                    if (fingerprint.get().equals(presented)) {
                        return true;
                    }
                    rejection = "host key verification failed: the server presented " + presented + ", not the pinned "
                            + fingerprint.get() + "; if the server was rebuilt, check its new key and pin it";
                    return false;
                }
                try {
                    String text;
                    try {
                        text = Files.readString(knownHosts);
                    } catch (NoSuchFileException e) {
                        text = "";
                    }
                    boolean listed = false;
                    for (OpenSSHKnownHosts.KnownHostEntry e : new OpenSSHKnownHosts(new StringReader(text)).entries()) {
                        String line = e.getLine().trim();
                        if (line.startsWith("@") || !e.appliesTo(name)) {
                            continue;
                        }
                        listed = true;
                        if (e.verify(key)) {
                            return true;
                        }
                    }
                    rejection = listed
                            ? "host key verification failed: " + knownHosts + " lists other keys for " + name
                                    + " than the presented " + presented
                            : "host key verification failed: " + name + " is not in " + knownHosts + "; check the"
                                    + " server's key (ssh-keygen -lf on the server) and add ?fingerprint=" + presented
                                    + " to the location, or add the host to known_hosts (BBR_SFTP_KNOWN_HOSTS)";
                    return false;
                } catch (IOException e) {
                    rejection = "host key verification failed: cannot read " + knownHosts + ": " + e.getMessage();
                    return false;
                }
            }

            @Override
            public List<String> findExistingAlgorithms(String hostname, int port) {
                return List.of();
            }

            @Override
            public Optional<String> rejection() {
                return Optional.ofNullable(rejection);
            }
        };
    }

    @Override
    public String toString() {
        return fingerprint.map(f -> "pinned host key " + f).orElse("known_hosts " + knownHosts);
    }
}
