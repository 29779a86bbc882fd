package dev.bbr.cli.output;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * bbr's {@code bbr-<UTC RFC 3339>.err.log}: written in the working directory after every failed
 * run (mode 0644), with each error and the stack trace behind it. Pipelines and support processes
 * collect it; stderr itself never carries a stack trace. If the file cannot be written, its text
 * goes to stderr instead, as bbr does.
 */
public final class ErrorLogFile {
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private ErrorLogFile() {}

    /** {@code bbr-2024-01-02T15:04:05Z.err.log}. */
    public static String fileName(Clock clock) {
        return "bbr-" + NAME_TIME.format(clock.instant()) + ".err.log";
    }

    /** Writes the file for a failed run; returns where, or null when the text went to {@code fallback}. */
    public static Path write(Path workingDirectory, Clock clock, List<ErrorReport> reports,
            java.io.PrintStream fallback) {
        String text = render(reports);
        Path file = workingDirectory.resolve(fileName(clock));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX filesystem: the default mode stays
            }
            return file;
        } catch (IOException e) {
            fallback.print(text);
            fallback.flush();
            return null;
        }
    }

    /** Each report's errors, numbered as on stderr, each followed by its stack trace. */
    static String render(List<ErrorReport> reports) {
        StringBuilder out = new StringBuilder();
        for (ErrorReport report : reports) {
            List<BbrError> errors = report.errors();
            out.append(errors.size()).append(errors.size() == 1 ? " error occurred:" : " errors occurred:")
                    .append('\n');
            for (int i = 0; i < errors.size(); i++) {
                BbrError error = errors.get(i);
                out.append("error ").append(i + 1).append(":\n").append(error.message()).append('\n');
                if (error.cause() != null) {
                    StringWriter trace = new StringWriter();
                    error.cause().printStackTrace(new PrintWriter(trace));
                    out.append(trace);
                }
            }
        }
        return out.toString();
    }
}
