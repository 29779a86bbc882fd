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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgeRecipientsTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheGivenOrderAndDropsDuplicates() {
        AgeRecipients recipients = AgeRecipients.parse(ESCROW.publicKey(), ALICE.publicKey(), ESCROW.publicKey());

        assertThat(recipients.publicKeys()).containsExactly(ESCROW.publicKey(), ALICE.publicKey());
        assertThat(recipients.contains(ALICE.publicKey())).isTrue();
        assertThat(recipients.contains(MALLORY.publicKey())).isFalse();
        assertThat(recipients.isEmpty()).isFalse();
        assertThat(AgeRecipients.none().isEmpty()).isTrue();
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(AgeRecipients.parse(" " + ALICE.publicKey() + "\t").publicKeys()).containsExactly(ALICE.publicKey());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "typo (checksum)|age1ykw7l9ltndynhv0essrqkpnd79njhx5yh5paplxauxsc0f60kfrqzuwq9y|expected an age X25519 public key",
        "truncated|age1ykw7l9ltndynhv0essrqkpnd79njhx5yh5paplxauxsc0f60kfr|expected an age X25519 public key",
        "secret key by mistake|AGE-SECRET-KEY-1ASRAP3H8RYXQYAE2T92PGWCL73DRV29N6WU509T0NEHJ2R325U3Q0XY3E4|expected an age X25519 public key",
        "ssh key|ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHb0 ops@jumpbox|SSH public keys are not supported",
        "plugin|age1yubikey1qwt50d05nh5vutpdzmlg5wn80xq5negm4uj9ghv0snvdd3yysf5yw3rhl3t|age plugin recipients (age1yubikey1…) are not supported",
        "garbage|hello|expected an age X25519 public key",
    })
    void refusesAValueThatIsNotAnX25519RecipientNamingIt(String what, String value, String expected) {
        assertThatThrownBy(() -> AgeRecipients.parse(List.of(value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid age recipient '" + value + "': ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void refusesAnEmptyValue() {
        assertThatThrownBy(() -> AgeRecipients.parse(""))
                .hasMessage("invalid age recipient '': empty; " + AgeRecipients.EXPECTED);
    }

    @Test
    void readsARecipientsFileInAgeFormat() throws Exception {
        Path file = Files.writeString(dir.resolve("recipients.txt"),
                "# customer key\n" + ALICE.publicKey() + "\n\n   \n# ops escrow, rotated 2026-11\r\n" + ESCROW.publicKey() + "\r\n");

        assertThat(AgeRecipients.readFile(file).publicKeys()).containsExactly(ALICE.publicKey(), ESCROW.publicKey());
    }

    @Test
    void aBadLineInARecipientsFileIsNamedByFileLineAndValue() throws Exception {
        Path file = Files.writeString(dir.resolve("recipients.txt"),
                "# keys\n" + ALICE.publicKey() + "\nage1notakey\n" + ESCROW.publicKey() + "\n");

        assertThatThrownBy(() -> AgeRecipients.readFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("recipients file " + file + " line 3: 'age1notakey': expected an age X25519 public key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aRecipientsFileWithoutRecipientsIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("recipients.txt"), "# nothing here yet\n\n");

        assertThatThrownBy(() -> AgeRecipients.readFile(file))
                .hasMessage("recipients file " + file + " has no recipients (only comments or blank lines)");
    }

    @Test
    void aMissingRecipientsFileIsAnIOExceptionThatSaysSo() {
        Path file = dir.resolve("nope.txt");

        assertThatThrownBy(() -> AgeRecipients.readFile(file))
                .isInstanceOf(IOException.class)
                .hasMessage("recipients file " + file + " does not exist");
    }

    @Test
    void aBinaryFileIsNotReadAsRecipients() throws Exception {
        Path file = Files.write(dir.resolve("key.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

        assertThatThrownBy(() -> AgeRecipients.readFile(file))
                .isInstanceOf(IOException.class)
                .hasMessage("recipients file " + file + " is not a text file (not UTF-8)");
    }

    @Test
    void flagsAndFilesCombineWithoutDuplicates() throws Exception {
        Path file = Files.writeString(dir.resolve("r.txt"), ESCROW.publicKey() + "\n" + ALICE.publicKey() + "\n");

        AgeRecipients combined = AgeRecipients.parse(ALICE.publicKey()).and(AgeRecipients.readFile(file));

        assertThat(combined.publicKeys()).containsExactly(ALICE.publicKey(), ESCROW.publicKey());
        assertThat(combined).isEqualTo(AgeRecipients.parse(ALICE.publicKey(), ESCROW.publicKey()));
    }
}
