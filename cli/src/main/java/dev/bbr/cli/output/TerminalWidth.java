package dev.bbr.cli.output;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The width of the controlling terminal, from {@code stty size} (then {@code COLUMNS}, then 80). */
final class TerminalWidth {
    private static final int FALLBACK = 80;

    private TerminalWidth() {}

    static int columns() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                String[] rowsAndColumns = out.split("\\s+");
                if (rowsAndColumns.length == 2) {
                    return Integer.parseInt(rowsAndColumns[1]);
                }
            }
        } catch (Exception e) {
            // no terminal or no stty: fall through
        }
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", String.valueOf(FALLBACK)).trim());
        } catch (NumberFormatException e) {
            return FALLBACK;
        }
    }
}
