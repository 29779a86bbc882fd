package dev.bbr.artifacts.codec;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/**
 * age X25519 identities ({@code AGE-SECRET-KEY-1…}) from identity files, each with the public key
 * ({@code age1…}) derived from it. age headers do not name their recipients, but our records do, so
 * {@link #matching} tells before any byte is read whether these keys can open a backup.
 *
 * <p>Secret keys never appear in messages or {@link #toString()}: a typo'd key in an error report or a
 * log would still be most of a key.
 */
public final class AgeIdentities {
    static final String SECRET_PREFIX = "AGE-SECRET-KEY-1";
    static final String EXPECTED = "expected an age X25519 identity: AGE-SECRET-KEY-1 followed by 58 characters";
    private static final AgeIdentities NONE = new AgeIdentities(List.of());

    private record Identity(String publicKey, String secretKey) {
        @Override
        public String toString() {
            return publicKey;
        }
    }

    private final List<Identity> identities;

    private AgeIdentities(List<Identity> identities) {
        this.identities = List.copyOf(identities);
    }

    public static AgeIdentities none() {
        return NONE;
    }

    /** Identity files in age's format (what {@code age-keygen} writes); every file must hold at least one. */
    public static AgeIdentities readFiles(Collection<Path> files) throws IOException {
        List<Identity> all = new ArrayList<>();
        for (Path file : files) {
            List<KeyFileLines.Line> lines = KeyFileLines.read(file, "identity file");
            for (KeyFileLines.Line line : lines) {
                Identity identity = identity(line.text());
                if (identity == null) {
                    throw new IllegalArgumentException("identity file " + file + " line " + line.number() + ": " + EXPECTED
                            + " (SSH keys, plugin and passphrase-protected identities are not supported)");
                }
                add(all, identity);
            }
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("identity file " + file + " has no identities (only comments or blank lines)");
            }
        }
        return new AgeIdentities(all);
    }

    public static AgeIdentities readFile(Path file) throws IOException {
        return readFiles(List.of(file));
    }

    /** Secret keys given directly (e.g. from a secret store); a refusal says which one by position only. */
    public static AgeIdentities of(List<String> secretKeys) {
        List<Identity> all = new ArrayList<>();
        for (int i = 0; i < secretKeys.size(); i++) {
            Identity identity = identity(secretKeys.get(i).strip());
            if (identity == null) {
                throw new IllegalArgumentException("age identity #" + (i + 1) + " is invalid: " + EXPECTED);
            }
            add(all, identity);
        }
        return new AgeIdentities(all);
    }

    /** The public keys ({@code age1…}) of these identities, in order. */
    public List<String> publicKeys() {
        return identities.stream().map(Identity::publicKey).toList();
    }

    public boolean isEmpty() {
        return identities.isEmpty();
    }

    /** The identities whose public key is one of {@code recipients}: the ones that can decrypt for them. */
    public AgeIdentities matching(AgeRecipients recipients) {
        return new AgeIdentities(identities.stream().filter(id -> recipients.contains(id.publicKey())).toList());
    }

    List<RecipientStanzaReader> stanzaReaders() {
        List<RecipientStanzaReader> readers = new ArrayList<>();
        for (Identity identity : identities) {
            try {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity.secretKey()));
            } catch (GeneralSecurityException e) {
                // The key was decoded successfully when loaded: this is a broken JDK, not input.
                throw new IllegalStateException("age identity for " + identity.publicKey() + " cannot be used: "
                        + e.getClass().getSimpleName(), e);
            }
        }
        return readers;
    }

    /** Null if {@code text} is not a valid X25519 identity. */
    private static Identity identity(String text) {
        if (!text.toUpperCase(java.util.Locale.ROOT).startsWith(SECRET_PREFIX)) {
            return null;
        }
        // Bech32 is case-insensitive; age writes upper case and jagged compares the prefix as written.
        String secret = text.toUpperCase(java.util.Locale.ROOT);
        try {
            Key publicKey = new X25519KeyFactory().translateKey(
                    new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "X25519"));
            return new Identity(new String(publicKey.getEncoded(), StandardCharsets.US_ASCII), secret);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null; // the cause would quote parts of the key
        }
    }

    private static void add(List<Identity> all, Identity identity) {
        if (all.stream().noneMatch(known -> known.publicKey().equals(identity.publicKey()))) {
            all.add(identity);
        }
    }

    @Override
    public String toString() {
        return "age identities for " + String.join(", ", publicKeys());
    }
}
