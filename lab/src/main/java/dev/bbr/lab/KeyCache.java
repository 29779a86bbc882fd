package dev.bbr.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;

/**
 * RSA key generation is by far the slowest part of a lab start (about 0.3 s CPU per key, several
 * seconds on a busy 2-core box), so generated keys are kept in a host-wide cache and reused by the
 * next lab: host keys per VM address, client keys per role, the TLS keys. Certificates, users and
 * everything else are still created fresh. Cache dir: BBR_LAB_KEY_CACHE (default
 * /var/cache/bbr-lab/keys); "off" disables it. It is not lab state: `down` leaves it.
 */
final class KeyCache {
    private static final Path DIR = resolveDir();

    private KeyCache() {
    }

    private static Path resolveDir() {
        String v = System.getenv().getOrDefault("BBR_LAB_KEY_CACHE", "/var/cache/bbr-lab/keys");
        return v.equals("off") ? null : Path.of(v);
    }

    /**
     * Puts an OpenSSH RSA-2048 key pair at {@code target} / {@code target.pub} whose public key
     * line carries {@code comment}; {@code pem} selects PKCS#1 PEM instead of the OpenSSH format.
     */
    static void sshKey(String name, Path target, String comment, boolean pem) {
        try {
            if (DIR == null) {
                generate(target, comment, pem);
                return;
            }
            Path cached = DIR.resolve(name + (pem ? ".pem" : ".ossh"));
            if (!Files.exists(cached) || !Files.exists(pub(cached))) {
                Files.createDirectories(DIR);
                Files.setPosixFilePermissions(DIR, PosixFilePermissions.fromString("rwx------"));
                Path tmp = DIR.resolve(name + ".tmp" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
                generate(tmp, "cached", pem);
                Files.move(pub(tmp), pub(cached), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.copy(cached, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            String[] f = Files.readString(pub(cached)).strip().split(" ");
            Files.writeString(pub(target), f[0] + " " + f[1] + " " + comment + "\n");
        } catch (IOException e) {
            throw new LabException("cannot prepare key " + name + ": " + e.getMessage(), e);
        }
    }

    private static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static void generate(Path target, String comment, boolean pem) throws IOException {
        Files.deleteIfExists(target);
        Files.deleteIfExists(pub(target));
        if (pem) {
            Cmd.run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-C", comment, "-f", target.toString())
                    .orThrow("ssh-keygen " + target);
        } else {
            Cmd.run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", comment, "-f", target.toString())
                    .orThrow("ssh-keygen " + target);
        }
    }

    /** An RSA-2048 key pair for TLS, cached as PKCS#8 DER. */
    static KeyPair rsaKeyPair(String name) {
        try {
            KeyFactory kf = KeyFactory.getInstance("RSA");
            Path cached = DIR == null ? null : DIR.resolve(name + ".pk8");
            if (cached != null && Files.exists(cached)) {
                RSAPrivateCrtKey priv = (RSAPrivateCrtKey) kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(cached)));
                return new KeyPair(kf.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent())), priv);
            }
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair kp = gen.generateKeyPair();
            if (cached != null) {
                Files.createDirectories(DIR);
                Path tmp = DIR.resolve(name + ".tmp" + ProcessHandle.current().pid());
                Files.write(tmp, kp.getPrivate().getEncoded());
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return kp;
        } catch (Exception e) {
            throw new LabException("cannot prepare TLS key " + name + ": " + e.getMessage(), e);
        }
    }
}
