package dev.bbr.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The rows of the reliability tables (docs/reliability.md), written as the tests run so that
 * {@code scripts/reliability} prints them from the results: one tab-separated line per case in
 * {@code target/reliability/<table>.tsv}. A failing case still writes its row, with what went wrong.
 */
final class ReliabilityMatrix {
    static final Path DIR = Path.of("target", "reliability");

    private ReliabilityMatrix() {}

    /** One case: its id and fault (or input), the command, the exit code seen, and what held. */
    record Row(String id, String what, String command, String exit, String outcome) {
        String line() {
            return String.join("\t", clean(id), clean(what), clean(command), clean(exit), clean(outcome)) + "\n";
        }

        private static String clean(String s) {
            return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ');
        }
    }

    /** Starts a table afresh (each table belongs to one test class). */
    static synchronized void start(String table) {
        try {
            Files.deleteIfExists(DIR.resolve(table + ".tsv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized void record(String table, Row row) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(table + ".tsv"), row.line(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
