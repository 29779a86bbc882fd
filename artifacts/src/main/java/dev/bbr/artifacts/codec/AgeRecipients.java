package dev.bbr.artifacts.codec;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The age X25519 public keys ({@code age1…}) an artifact is encrypted to: from {@code --encrypt-to}
 * values and {@code --recipients-file} files. Only public keys are needed to back up, so the machine
 * that writes backups cannot read them. Order is kept (it is the order of the stanzas in the age
 * header and of the record), duplicates are dropped.
 */
public final class AgeRecipients {
    static final String EXPECTED = "expected an age X25519 public key: age1 followed by 58 lowercase characters";
    private static final AgeRecipients NONE = new AgeRecipients(List.of());

    private final List<String> publicKeys;

    private AgeRecipients(List<String> publicKeys) {
        this.publicKeys = List.copyOf(publicKeys);
    }

    public static AgeRecipients none() {
        return NONE;
    }

    /** {@code --encrypt-to} values; a refusal names the value and what was expected. */
    public static AgeRecipients parse(Collection<String> values) {
        Set<String> keys = new LinkedHashSet<>();
        for (String value : values) {
            String problem = problemWith(value.strip());
            if (problem != null) {
                throw new IllegalArgumentException("invalid age recipient '" + value + "': " + problem);
            }
            keys.add(value.strip());
        }
        return new AgeRecipients(new ArrayList<>(keys));
    }

    public static AgeRecipients parse(String... values) {
        return parse(List.of(values));
    }

    /**
     * A recipients file in age's format. Unreadable files are IOExceptions; a bad line is an
     * IllegalArgumentException naming the file and line, as is a file without any recipient (most
     * likely the wrong file, and encrypting to nobody must not pass silently).
     */
    public static AgeRecipients readFile(Path file) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        for (KeyFileLines.Line line : KeyFileLines.read(file, "recipients file")) {
            String problem = problemWith(line.text());
            if (problem != null) {
                throw new IllegalArgumentException("recipients file " + file + " line " + line.number()
                        + ": '" + line.text() + "': " + problem);
            }
            keys.add(line.text());
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("recipients file " + file + " has no recipients (only comments or blank lines)");
        }
        return new AgeRecipients(new ArrayList<>(keys));
    }

    /** Both sets, this one's keys first; for {@code --encrypt-to} given together with {@code --recipients-file}. */
    public AgeRecipients and(AgeRecipients other) {
        Set<String> keys = new LinkedHashSet<>(publicKeys);
        keys.addAll(other.publicKeys);
        return new AgeRecipients(new ArrayList<>(keys));
    }

    public List<String> publicKeys() {
        return publicKeys;
    }

    public boolean isEmpty() {
        return publicKeys.isEmpty();
    }

    public boolean contains(String publicKey) {
        return publicKeys.contains(publicKey);
    }

    List<RecipientStanzaWriter> stanzaWriters() {
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        for (String key : publicKeys) {
            try {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(key));
            } catch (GeneralSecurityException e) {
                // Every key was validated by the same call when parsed: this is a broken JDK, not input.
                throw new IllegalStateException("age recipient " + key + " cannot be used: " + e.getMessage(), e);
            }
        }
        return writers;
    }

    /** Null for a valid X25519 recipient, else what is wrong in words. */
    private static String problemWith(String value) {
        if (value.isEmpty()) {
            return "empty; " + EXPECTED;
        }
        if (value.startsWith("ssh-") || value.startsWith("ecdsa-")) {
            return "SSH public keys are not supported; " + EXPECTED;
        }
        // Bech32's separator is the last '1' (its alphabet has no '1'): age1<name>1<data> is a plugin recipient.
        if (value.startsWith("age1") && value.lastIndexOf('1') > 3) {
            String hrp = value.substring(0, value.lastIndexOf('1'));
            return "age plugin recipients (" + hrp + "1…) are not supported; " + EXPECTED;
        }
        if (!value.startsWith("age1")) {
            return EXPECTED;
        }
        try {
            X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(value);
            return null;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return EXPECTED + " (" + e.getMessage() + ")";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgeRecipients && ((AgeRecipients) o).publicKeys.equals(publicKeys);
    }

    @Override
    public int hashCode() {
        return publicKeys.hashCode();
    }

    @Override
    public String toString() {
        return String.join(", ", publicKeys);
    }
}
