package dev.bbr.artifacts.retention;

import java.time.Duration;

/** Short duration words for reasons, as an operator would type them: {@code 24h}, {@code 1h30m}, {@code 45s}. */
final class Durations {
    private Durations() {
    }

    static String words(Duration d) {
        long seconds = d.getSeconds();
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder s = new StringBuilder();
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            s.append(hours).append('h');
        }
        if (minutes > 0) {
            s.append(minutes).append('m');
        }
        if (rest > 0) {
            s.append(rest).append('s');
        }
        return s.toString();
    }
}
