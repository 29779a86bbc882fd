package dev.bbr.cli.ops;

import dev.bbr.cli.Console;
import dev.bbr.cli.output.ErrorLogFile;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorReport;
import dev.bbr.core.event.ErrorReported;
import java.time.Clock;
import java.util.List;

/** How a finished run ends the process: bbr's error report, footer, err.log and exit code. */
final class Outcomes {
    private Outcomes() {}

    /** Exit 0, or the report (with its footer) on stderr, the err.log, and the report's exit code. */
    static int finish(Session session, ErrorReport report, String footer) {
        if (report.isEmpty()) {
            return 0;
        }
        writeErrorLog(session.console, report);
        reportErrors(session, report.render(footer), report, report.exitCode());
        return report.exitCode();
    }

    /** A cancelled run: bbr's advice on stdout, exit 1; its errors, if any, still go to the err.log. */
    static int cancelled(Session session, ErrorReport report, String advice) {
        if (!report.isEmpty()) {
            writeErrorLog(session.console, report);
        }
        session.status(advice, "advice", null);
        return 1;
    }

    static void reportErrors(Session session, String text, ErrorReport report, int exitCode) {
        session.log.emit(new ErrorReported(text, report.errors().stream().map(BbrError::message).toList(),
                exitCode));
    }

    /** bbr's {@code bbr-<time>.err.log} in the working directory, after every failed run. */
    static void writeErrorLog(Console console, ErrorReport... reports) {
        ErrorLogFile.write(console.workingDirectory(), Clock.systemUTC(), List.of(reports), console.err());
    }
}
