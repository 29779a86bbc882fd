package dev.bbr.artifacts.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksumComparisonTest {
    @Test
    void equalMapsMatch() {
        ChecksumComparison c = ChecksumComparison.compare(Map.of("./a", "1", "./b", "2"), Map.of("./b", "2", "./a", "1"));
        assertThat(c.matches()).isTrue();
        assertThat(c.failedNames()).isEmpty();
    }

    @Test
    void listsMismatchedAndMissingNamesSeparately() {
        ChecksumComparison c = ChecksumComparison.compare(
                Map.of("./a", "1", "./b", "2", "./only-local", "3"),
                Map.of("./a", "1", "./b", "X", "./only-remote", "4"));

        assertThat(c.matches()).isFalse();
        assertThat(c.mismatched()).containsExactly("./b");
        assertThat(c.missingRemotely()).containsExactly("./only-local");
        assertThat(c.missingLocally()).containsExactly("./only-remote");
        assertThat(c.corruptionMessage("redis/6b1c3a2e", "redis-server")).isEqualTo(
                "Backup is corrupted, checksum failed for redis/6b1c3a2e redis-server - checksums don't match for "
                        + "[./b ./only-local ./only-remote]. Checksum failed for 3 files in total");
    }

    @Test
    void messageNamesAtMostTenFilesButCountsAll() {
        Map<String, String> local = new HashMap<>();
        Map<String, String> remote = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            local.put("./f" + String.format("%02d", i), "x");
            remote.put("./f" + String.format("%02d", i), "y");
        }
        String message = ChecksumComparison.compare(local, remote).corruptionMessage("bosh/0", "director");

        assertThat(message).isEqualTo("Backup is corrupted, checksum failed for bosh/0 director - checksums don't match for "
                + "[./f00 ./f01 ./f02 ./f03 ./f04 ./f05 ./f06 ./f07 ./f08 ./f09]. Checksum failed for 12 files in total");
    }

    @Test
    void transferMessageForRestoreUploads() {
        assertThat(ChecksumComparison.compare(Map.of("./a", "1"), Map.of()).transferMessage("redis/0", "redis-server"))
                .isEqualTo("Backup couldn't be transferred, checksum failed for redis/0 redis-server - checksums don't match "
                        + "for [./a]. Checksum failed for 1 files in total");
    }
}
