package dev.bbr.artifacts.codec;

import static dev.bbr.artifacts.codec.TestAgeKeys.ALICE;
import static dev.bbr.artifacts.codec.TestAgeKeys.ESCROW;
import static dev.bbr.artifacts.codec.TestAgeKeys.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgeIdentitiesTest {
    @TempDir
    Path dir;

    /** The expected public keys are the ones age-keygen printed for these secret keys. */
    @Test
    void derivesThePublicKeyOfEachIdentityLikeAgeKeygen() throws Exception {
        Path file = ALICE.writeIdentityFile(dir.resolve("alice.txt"));

        assertThat(AgeIdentities.readFile(file).publicKeys()).containsExactly(ALICE.publicKey());
        assertThat(ESCROW.identities().publicKeys()).containsExactly(ESCROW.publicKey());
        assertThat(MALLORY.identities().publicKeys()).containsExactly(MALLORY.publicKey());
    }

    @Test
    void readsSeveralIdentitiesFromOneFileAndFromSeveralFiles() throws Exception {
        Path both = Files.writeString(dir.resolve("both.txt"),
                "# two keys\n" + ALICE.secretKey() + "\n\n# escrow\n" + ESCROW.secretKey() + "\n");
        Path mallory = MALLORY.writeIdentityFile(dir.resolve("m.txt"));

        assertThat(AgeIdentities.readFiles(List.of(both, mallory)).publicKeys())
                .containsExactly(ALICE.publicKey(), ESCROW.publicKey(), MALLORY.publicKey());
    }

    @Test
    void lowerCaseSecretKeysAreAcceptedBecauseBech32IgnoresCase() {
        assertThat(AgeIdentities.of(List.of(ALICE.secretKey().toLowerCase())).publicKeys()).containsExactly(ALICE.publicKey());
    }

    @Test
    void matchingKeepsOnlyTheIdentitiesThatAreRecipients() {
        AgeIdentities identities = AgeIdentities.of(List.of(ALICE.secretKey(), MALLORY.secretKey()));

        assertThat(identities.matching(AgeRecipients.parse(ESCROW.publicKey(), MALLORY.publicKey())).publicKeys())
                .containsExactly(MALLORY.publicKey());
        assertThat(identities.matching(AgeRecipients.parse(ESCROW.publicKey())).isEmpty()).isTrue();
    }

    @Test
    void aBadLineIsNamedByFileAndLineWithoutQuotingKeyMaterial() throws Exception {
        String typo = ALICE.secretKey().substring(0, 40) + "Q" + ALICE.secretKey().substring(41);
        Path file = Files.writeString(dir.resolve("id.txt"), "# created: today\n" + typo + "\n");

        assertThatThrownBy(() -> AgeIdentities.readFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("identity file " + file + " line 2: " + AgeIdentities.EXPECTED
                        + " (SSH keys, plugin and passphrase-protected identities are not supported)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(typo.substring(16, 40)));
    }

    @Test
    void anSshPrivateKeyIsRefusedAtItsFirstLine() throws Exception {
        Path file = Files.writeString(dir.resolve("id_ed25519"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n");

        assertThatThrownBy(() -> AgeIdentities.readFile(file)).hasMessageContaining(" line 1: ");
    }

    @Test
    void aFileWithoutIdentitiesIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("id.txt"), "# public key: " + ALICE.publicKey() + "\n");

        assertThatThrownBy(() -> AgeIdentities.readFile(file))
                .hasMessage("identity file " + file + " has no identities (only comments or blank lines)");
    }

    @Test
    void aMissingFileIsAnIOException() {
        assertThatThrownBy(() -> AgeIdentities.readFile(dir.resolve("none")))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("none does not exist");
    }

    @Test
    void directlyGivenKeysAreNamedByPositionOnly() {
        assertThatThrownBy(() -> AgeIdentities.of(List.of(ALICE.secretKey(), "AGE-SECRET-KEY-1NOPE")))
                .hasMessage("age identity #2 is invalid: " + AgeIdentities.EXPECTED);
    }

    @Test
    void neverPrintsTheSecretKey() {
        AgeIdentities identities = ALICE.identities();

        assertThat(identities.toString()).contains(ALICE.publicKey()).doesNotContain(ALICE.secretKey().substring(16));
    }
}
