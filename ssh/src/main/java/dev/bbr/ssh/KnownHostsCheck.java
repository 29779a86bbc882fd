package dev.bbr.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

/**
 * known_hosts check with trust-on-first-use for unlisted hosts (jumpbox, {@code bbr director}).
 * Stricter than sshj's OpenSSHKnownHosts: a host listed with any key must present one of its listed
 * keys, whatever the key type, so a changed server cannot slip through via a new key type.
 */
final class KnownHostsCheck implements HostKeyCheck {

    private final Path file;
    private final Consumer<String> onFirstUse;
    /** Keys accepted on first use, by known_hosts name: a reconnect in the same run must match. */
    private final Map<String, byte[]> acceptedThisRun = new ConcurrentHashMap<>();

    KnownHostsCheck(Path file, Consumer<String> onFirstUse) {
        this.file = file;
        this.onFirstUse = onFirstUse;
    }

    @Override
    public Verifier newVerifier() {
        return new Verifier() {
            private volatile String rejection;

            @Override
            public boolean verify(String hostname, int port, PublicKey key) {
                String presented = PublicKeys.fingerprint(key);
                String name = knownHostsName(hostname, port);
                List<String> expected = new ArrayList<>();
                try {
                    for (KnownHostEntry e : entries()) {
                        String line = e.getLine().trim();
                        if (line.startsWith("@cert-authority")) {
                            continue; // host certificates are not supported; ignore CA lines
                        }
                        if (!e.appliesTo(name)) {
                            continue;
                        }
                        if (line.startsWith("@revoked")) {
                            if (e.verify(key)) {
                                rejection = "Host key for " + new HostAndPort(hostname, port) + " (" + presented
                                        + ") is marked @revoked in " + file;
                                return false;
                            }
                            continue;
                        }
                        if (e.verify(key)) {
                            return true;
                        }
                        expected.add(fingerprintOf(line));
                    }
                } catch (IOException ex) {
                    rejection = "Reading known hosts file " + file + ": " + SshException.describe(ex);
                    return false;
                }
                if (expected.isEmpty()) {
                    byte[] blob = PublicKeys.blob(key);
                    byte[] earlier = acceptedThisRun.putIfAbsent(name, blob);
                    if (earlier != null) {
                        if (Arrays.equals(earlier, blob)) {
                            return true;
                        }
                        rejection = "Host key verification failed for " + new HostAndPort(hostname, port)
                                + ": the key changed during this run (first " + PublicKeys.fingerprint(earlier)
                                + ", now " + presented + ")";
                        return false;
                    }
                    onFirstUse.accept("Accepting host key for " + new HostAndPort(hostname, port)
                            + " on first use: " + presented);
                    return true;
                }
                rejection = "Host key verification failed for " + new HostAndPort(hostname, port)
                        + ": " + file + " lists " + String.join(", ", expected)
                        + " but the server presented " + presented
                        + ". If the host was legitimately rebuilt, remove the stale line"
                        + " (ssh-keygen -R '" + name + "' -f " + file + ") and retry";
                return false;
            }

            @Override
            public List<String> findExistingAlgorithms(String hostname, int port) {
                // prefer the key types we already know so the server presents a comparable key
                Set<String> algs = new LinkedHashSet<>();
                try {
                    for (KnownHostEntry e : entries()) {
                        if (!e.getLine().trim().startsWith("@") && e.appliesTo(knownHostsName(hostname, port))) {
                            algs.addAll(PublicKeys.hostKeyAlgorithms(e.getType()));
                        }
                    }
                } catch (IOException ignored) {
                    // verify() reports the read error
                }
                return new ArrayList<>(algs);
            }

            @Override
            public Optional<String> rejection() {
                return Optional.ofNullable(rejection);
            }
        };
    }

    /** Re-read per connection so edits made while the CLI runs (rare) are honoured. */
    private List<KnownHostEntry> entries() throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return new OpenSSHKnownHosts(new StringReader(text)).entries();
    }

    /** OpenSSH names non-22 ports "[host]:port" in known_hosts. */
    static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** Fingerprint of the key on a known_hosts line ("[@marker] hosts type base64 [comment]"). */
    private static String fingerprintOf(String line) {
        String[] t = line.split("\\s+");
        int keyIndex = t[0].startsWith("@") ? 3 : 2;
        try {
            return PublicKeys.fingerprint(Base64.getDecoder().decode(t[keyIndex]));
        } catch (RuntimeException e) {
            return "<unparseable key>";
        }
    }

    @Override
    public String toString() {
        return "known_hosts " + file + " or trust on first use";
    }
}
