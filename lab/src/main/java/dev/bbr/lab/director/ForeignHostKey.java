package dev.bbr.lab.director;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * A valid RSA host key that belongs to no VM: what the Director reports when an instance's key
 * changed after it was recorded (a recreated VM, or a machine in the middle).
 */
public final class ForeignHostKey {
    private static volatile String line;

    private ForeignHostKey() {}

    /** {@code ssh-rsa AAAA… lab-foreign}, the same for the whole JVM. */
    public static String line() {
        if (line == null) {
            synchronized (ForeignHostKey.class) {
                if (line == null) {
                    line = generate();
                }
            }
        }
        return line;
    }

    private static String generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            writeString(out, key.getPublicExponent().toByteArray());
            writeString(out, key.getModulus().toByteArray());
            return "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray()) + " lab-foreign\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SSH wire string/mpint: length-prefixed; BigInteger.toByteArray is already the mpint form. */
    private static void writeString(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
