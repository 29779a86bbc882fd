package dev.bbr.core.errors;

import java.util.List;

/**
 * The text bbr prints on stderr when a command fails, and the exit code that goes with it.
 *
 * <pre>
 * 2 errors occurred:
 * error 1:
 * first message
 * error 2:
 * second message
 * </pre>
 *
 * followed by a blank line and the footer, if any. Unlike the Go bbr, each message ends with a
 * newline before the next {@code error N:} line (bbr ran them together) and composite errors are
 * flattened instead of printing nested headers.
 */
public final class ErrorReport {
    private final List<BbrError> errors;

    public ErrorReport(List<BbrError> errors) {
        this.errors = List.copyOf(errors);
    }

    public List<BbrError> errors() {
        return errors;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public int exitCode() {
        return ExitCode.of(errors);
    }

    /** bbr's rule for backup: advise backup-cleanup iff any unlock, cleanup, artifact-dir or drain error. */
    public boolean advisesBackupCleanup() {
        return errors.stream().anyMatch(e -> e.kind().advisesBackupCleanup());
    }

    /** bbr's rule for pre-backup-check: advise backup-cleanup iff the first error is an artifact-dir error. */
    public boolean firstIsArtifactDirError() {
        return !errors.isEmpty() && errors.get(0).kind() == ErrorKind.ARTIFACT_DIR;
    }

    /** The report body without footer. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(errors.size()).append(errors.size() == 1 ? " error occurred:" : " errors occurred:").append('\n');
        for (int i = 0; i < errors.size(); i++) {
            out.append("error ").append(i + 1).append(":\n").append(errors.get(i).message());
            if (i < errors.size() - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The report as bbr prints it: body, a newline, then the footer (which may be empty). */
    public String render(String footer) {
        return render() + "\n" + (footer == null ? "" : footer);
    }
}
