package dev.bbr.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 12: what the terminal shows, computed by replaying the bytes the region wrote
 * through a minimal terminal (carriage return, newline, cursor up, erase below).
 */
class LiveRegionTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LiveRegion region = new LiveRegion(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @Test
    void logLinesGoAboveTheLiveLinesAndNeverInsideThem() {
        Object a = new Object();
        Object b = new Object();
        region.println("log 1");
        region.set(a, "a  10%");
        region.set(b, "b   5%");
        region.println("log 2");
        region.set(a, "a  60%");
        region.set(b, "b  40%");
        region.println("log 3");

        assertThat(screen()).containsExactly("log 1", "log 2", "log 3", "a  60%", "b  40%");
    }

    @Test
    void aFinishedLineBecomesPermanentAndTheOthersStayLive() {
        Object a = new Object();
        Object b = new Object();
        region.set(a, "a  90%");
        region.set(b, "b  50%");
        region.finish(a, "a 100%");
        region.println("Finished copying a");
        region.set(b, "b  70%");

        assertThat(screen()).containsExactly("a 100%", "Finished copying a", "b  70%");
        assertThat(region.liveLines()).containsExactly("b  70%");
    }

    @Test
    void whilePausedTheQuestionIsTheLastThingOnScreenAndUpdatesWaitForResume() {
        Object a = new Object();
        region.set(a, "a  10%");
        region.pause();
        region.printDirect("\nAre you sure? [yes/no]\n");
        region.set(a, "a  20%");

        assertThat(screen()).containsExactly("", "Are you sure? [yes/no]");

        region.resume();
        assertThat(screen()).containsExactly("", "Are you sure? [yes/no]", "a  20%");
    }

    /** Replays the output: \r, \n, ESC[nA (up), ESC[J (erase below); returns the non-trailing lines. */
    private List<String> screen() {
        String out = bytes.toString(StandardCharsets.UTF_8);
        List<StringBuilder> lines = new ArrayList<>(List.of(new StringBuilder()));
        int row = 0;
        int col = 0;
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                row++;
                col = 0;
                while (lines.size() <= row) {
                    lines.add(new StringBuilder());
                }
            } else if (c == '\u001b') {
                int end = i + 2;
                while (!Character.isLetter(out.charAt(end))) {
                    end++;
                }
                String arg = out.substring(i + 2, end);
                char command = out.charAt(end);
                if (command == 'A') {
                    row -= Integer.parseInt(arg);
                } else if (command == 'J') {
                    lines.get(row).setLength(col);
                    while (lines.size() > row + 1) {
                        lines.remove(lines.size() - 1);
                    }
                }
                i = end;
            } else {
                StringBuilder line = lines.get(row);
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
        }
        List<String> result = new ArrayList<>(lines.stream().map(StringBuilder::toString).toList());
        while (!result.isEmpty() && result.get(result.size() - 1).isEmpty()) {
            result.remove(result.size() - 1);
        }
        return result;
    }
}
