package dev.bbr.artifacts.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Throwaway key pairs made with {@code age-keygen} 1.1.1 for these tests only (they protect nothing).
 * Fixed keys let the pure-Java tests run without the CLI; the public keys are the ones age-keygen
 * printed, so deriving them in Java is itself checked against age. Public for the at-rest tests.
 */
public final class TestAgeKeys {
    public record KeyPair(String publicKey, String secretKey) {
        /** An identity file as age-keygen writes it. */
        public Path writeIdentityFile(Path file) throws IOException {
            return Files.writeString(file, "# created: 2026-12-07T00:48:39Z\n# public key: " + publicKey + "\n" + secretKey + "\n");
        }

        public AgeIdentities identities() {
            return AgeIdentities.of(java.util.List.of(secretKey));
        }
    }

    public static final KeyPair ALICE = new KeyPair(
            "age1ykw7l9ltndynhv0essrqkpnd79njhx5yh5paplxauxsc0f60kfrqzuwq9x",
            "AGE-SECRET-KEY-1ASRAP3H8RYXQYAE2T92PGWCL73DRV29N6WU509T0NEHJ2R325U3Q0XY3E4");
    public static final KeyPair ESCROW = new KeyPair(
            "age1zahyyshggjqqpsw70fd8zmvag7qzhf5dpytvp47ghyrq7lhzqprsruqenp",
            "AGE-SECRET-KEY-1UNJ2G4CSJ9TJH3QA6PWGSC28HFPF9740CSCYMCWG2VYW08NE859SPGEDZC");
    public static final KeyPair MALLORY = new KeyPair(
            "age1kh83nwextz7s8k0l4fy9l9zpruap9n5xu3yw0nc3ayspcnkr345q54dere",
            "AGE-SECRET-KEY-14TRT9EQFQHZY94RE0N2VPZDCVAM0CULW3285G8SS6M67HGUW4W2QJ9RHV3");

    private TestAgeKeys() {
    }
}
