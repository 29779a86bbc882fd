package dev.bbr.ssh;

import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Objects;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.keyprovider.PKCS8KeyFile;

/**
 * A client key pair for public-key authentication. Parsed once, kept in memory only; toString
 * shows the type and public fingerprint, never key material.
 */
public final class SshKey {

    private final KeyPair keyPair;
    private final KeyType type;

    private SshKey(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.type = KeyType.fromKey(keyPair.getPublic());
    }

    /** A fresh RSA-2048 pair, as bosh-cli/bbr generate per run for the temporary user. */
    public static SshKey generateRsa2048() {
        SshjConfig.installProviders();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return new SshKey(g.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("generating RSA key: " + e.getMessage(), e);
        }
    }

    /**
     * A fresh Ed25519 pair for the run's temporary user. Generating it takes well under a
     * millisecond where RSA-2048 took 0.3-0.7 s of CPU on a loaded two-core jumpbox, and every
     * stemcell's OpenSSH (6.5 and later) accepts it in authorized_keys. The JDK's own SunEC
     * provider makes and signs it: sshj recognises its "EdDSA" keys.
     */
    public static SshKey generateEd25519() {
        SshjConfig.installProviders();
        try {
            return new SshKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("generating Ed25519 key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an unencrypted private key: RSA PKCS#1 ("RSA PRIVATE KEY"), PKCS#8 ("PRIVATE KEY") or
     * OpenSSH format ("OPENSSH PRIVATE KEY": rsa, ed25519, ecdsa).
     */
    public static SshKey fromPemFile(Path path) throws SshException {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException | RuntimeException e) {
            // some reasons ("Is a directory") do not name the file: the operator must see which (issue 11)
            String reason = SshException.describe(e);
            throw new SshException("failed reading private key: "
                    + (reason.contains(path.toString()) ? reason : "read " + path + ": " + reason), e);
        }
        return fromPem(text);
    }

    /** Same as {@link #fromPemFile(Path)} for key text already in memory. */
    public static SshKey fromPem(String pem) throws SshException {
        Objects.requireNonNull(pem, "pem");
        SshjConfig.installProviders();
        try {
            FileKeyProvider provider = providerFor(KeyProviderUtil.detectKeyFileFormat(pem, false));
            provider.init(pem, null);
            return new SshKey(new KeyPair(provider.getPublic(), provider.getPrivate()));
        } catch (IOException | RuntimeException e) {
            throw new SshException("ssh.NewConnection.ParsePrivateKey failed: " + SshException.describe(e), e);
        }
    }

    private static FileKeyProvider providerFor(KeyFormat format) throws IOException {
        switch (format) {
            case OpenSSHv1:
                return new OpenSSHKeyV1KeyFile();
            case PKCS8:
            case OpenSSH: // PEM "RSA/EC PRIVATE KEY"; PKCS8KeyFile parses those through BC's PEMParser
                return new PKCS8KeyFile();
            default:
                throw new IOException("unsupported private key format " + format);
        }
    }

    /** {@code "ssh-ed25519 AAAA...\n"} — the form the Director's SSH setup expects. */
    public String authorizedKeysLine() {
        return PublicKeys.authorizedKey(keyPair.getPublic()) + "\n";
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** SSH key type name, e.g. "ssh-rsa", "ssh-ed25519". */
    public String type() {
        return type.toString();
    }

    /** SHA256 fingerprint of the public key. */
    public String fingerprint() {
        return PublicKeys.fingerprint(keyPair.getPublic());
    }

    /** For sshj's publickey authentication. */
    public KeyProvider sshjKeyProvider() {
        return new KeyPairWrapper(keyPair);
    }

    KeyType keyType() {
        return type;
    }

    @Override
    public String toString() {
        return "SshKey[" + type + " " + fingerprint() + "]";
    }
}
