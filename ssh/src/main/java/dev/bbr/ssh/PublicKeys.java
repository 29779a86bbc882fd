package dev.bbr.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** SSH wire encoding, authorized_keys lines and OpenSSH-style fingerprints of public keys. */
final class PublicKeys {

    private PublicKeys() {
    }

    /** The SSH wire blob (what authorized_keys base64-encodes). */
    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** {@code SHA256:<base64 without padding>}, identical to {@code ssh-keygen -lf}. */
    static String fingerprint(PublicKey key) {
        return fingerprint(blob(key));
    }

    static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <type> <base64>}, without trailing newline. */
    static String authorizedKey(PublicKey key) {
        return KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob(key));
    }

    /** Parses the key of an authorized_keys / host_public_key line ("type base64 [comment]"). */
    static PublicKey parseAuthorizedKey(String line) {
        String[] parts = line == null ? new String[0] : line.trim().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("parsing public key: expected '<type> <base64> [comment]'");
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            PublicKey key = new Buffer.PlainBuffer(blob).readPublicKey();
            String actualType = KeyType.fromKey(key).toString();
            if (!actualType.equals(parts[0])) {
                throw new IllegalArgumentException("parsing public key: line says " + parts[0]
                        + " but the key is " + actualType);
            }
            return key;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("parsing public key")) {
                throw e;
            }
            throw new IllegalArgumentException("parsing public key: " + SshException.describe(e), e);
        } catch (Buffer.BufferException | RuntimeException e) {
            throw new IllegalArgumentException("parsing public key: " + SshException.describe(e), e);
        }
    }

    /** Host key signature algorithms that a server can use to prove ownership of this key type. */
    static List<String> hostKeyAlgorithms(KeyType type) {
        switch (type) {
            case RSA:
                return List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
            case ED25519:
                return List.of("ssh-ed25519");
            case ECDSA256:
                return List.of("ecdsa-sha2-nistp256");
            case ECDSA384:
                return List.of("ecdsa-sha2-nistp384");
            case ECDSA521:
                return List.of("ecdsa-sha2-nistp521");
            case DSA:
                return List.of("ssh-dss");
            default:
                return List.of(type.toString());
        }
    }

}
