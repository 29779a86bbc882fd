package dev.bbr.core.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.core.event.Event;
import dev.bbr.core.event.TransferProgress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bbr's progress lines, and the one digest an event names a verified artifact by. */
class ProgressAndDigestTest {
    private final List<Event> events = new ArrayList<>();
    private final LogProgressReporter reporter = new LogProgressReporter(events::add);

    private List<Integer> percents() {
        return events.stream().map(e -> ((TransferProgress) e).percent()).toList();
    }

    @Test
    void progressIsReportedEachTimeItAdvancesByFivePointsWithBbrsText() {
        ProgressReporter.Tracker tracker = reporter.start("backup", "redis", "redis/r-0", 1000);

        for (long bytes = 0; bytes <= 1000; bytes += 10) {
            tracker.update(bytes);
        }

        assertThat(percents()).containsExactly(5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85,
                90, 95, 100);
        TransferProgress first = (TransferProgress) events.get(0);
        assertThat(first.text()).isEqualTo("Copying backup for job redis on redis/r-0 -- 5% complete");
        assertThat(first.direction()).isEqualTo("backup");
        assertThat(first.bytes()).isEqualTo(50);
        assertThat(first.total()).isEqualTo(1000);
    }

    @Test
    void bigJumpsAreOneLineAtTheReachedPercentage() {
        ProgressReporter.Tracker tracker = reporter.start("restore", "web", "web/w-0", 1000);

        tracker.update(30);
        tracker.update(420);
        tracker.update(440);
        tracker.update(470);

        assertThat(percents()).containsExactly(42, 47);
        assertThat(events.get(1).text()).isEqualTo("Copying backup for job web on web/w-0 -- 47% complete");
    }

    @Test
    void progressStopsAtOneHundredWhenTheEstimateIsPassed() {
        ProgressReporter.Tracker tracker = reporter.start("backup", "redis", "redis/r-0", 100);

        tracker.update(99);
        tracker.update(100);
        tracker.update(150);
        tracker.update(4000);

        assertThat(percents()).containsExactly(99, 100);
    }

    @Test
    void aZeroOrUnknownTotalIsOneHundredPercentOnceAndNeverDividesByZero() {
        ProgressReporter.Tracker empty = reporter.start("backup", "redis", "redis/r-0", 0);
        empty.update(0);
        empty.update(512);
        ProgressReporter.Tracker negative = reporter.start("backup", "redis", "redis/r-0", -1);
        negative.update(10);

        assertThat(percents()).containsExactly(100, 100);
    }

    @Test
    void theChecksumDigestIsSha256OverTheSortedPathAndChecksumLines() throws Exception {
        Map<String, String> checksums = new LinkedHashMap<>();
        checksums.put("./b", "bb");
        checksums.put("./a", "aa");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("./a", "aa");
        reversed.put("./b", "bb");

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("./a aa\n./b bb\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(ChecksumSetDigest.of(checksums)).isEqualTo(expected).isEqualTo(ChecksumSetDigest.of(reversed));
        assertThat(ChecksumSetDigest.of(Map.of("./a", "ab"))).isNotEqualTo(ChecksumSetDigest.of(Map.of("./a", "aa")));
        assertThat(ChecksumSetDigest.of(Map.of()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
