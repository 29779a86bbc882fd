package dev.bbr.core.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorReportTest {

    @Test
    void exitCodeIsTheOrOfOneBitPerKind() {
        assertThat(new ErrorReport(List.of()).exitCode()).isZero();
        assertThat(report(ErrorKind.LOCK).exitCode()).isEqualTo(4);
        assertThat(report(ErrorKind.UNLOCK).exitCode()).isEqualTo(8);
        assertThat(report(ErrorKind.CLEANUP).exitCode()).isEqualTo(16);
        assertThat(report(ErrorKind.BACKUP, ErrorKind.CLEANUP).exitCode()).isEqualTo(17);
        assertThat(report(ErrorKind.LOCK, ErrorKind.UNLOCK).exitCode()).isEqualTo(12);
        assertThat(report(ErrorKind.RESTORE, ErrorKind.UNLOCK).exitCode()).isEqualTo(9);
        assertThat(report(ErrorKind.DRAIN, ErrorKind.DRAIN, ErrorKind.GENERAL).exitCode()).isEqualTo(1);
        assertThat(report(ErrorKind.LOCK, ErrorKind.UNLOCK, ErrorKind.CLEANUP, ErrorKind.BACKUP).exitCode())
                .isEqualTo(29);
    }

    @Test
    void rendersOneErrorLikeBbr() {
        ErrorReport report = new ErrorReport(List.of(BbrError.of(ErrorKind.BACKUP,
                "Error attempting to run backup for job redis on redis/fake-uuid: ultra-baz - exit code 1")));
        assertThat(report.render(""))
                .isEqualTo("1 error occurred:\nerror 1:\n"
                        + "Error attempting to run backup for job redis on redis/fake-uuid: ultra-baz - exit code 1\n");
    }

    @Test
    void rendersSeveralErrorsEachOnItsOwnLinesWithFooter() {
        ErrorReport report = new ErrorReport(List.of(
                BbrError.of(ErrorKind.LOCK, "lock failed"), BbrError.of(ErrorKind.UNLOCK, "unlock failed")));
        assertThat(report.render(Advice.BACKUP_CLEANUP))
                .isEqualTo("2 errors occurred:\nerror 1:\nlock failed\nerror 2:\nunlock failed\n"
                        + "It is recommended that you run `bbr backup-cleanup` to ensure that any temp files are"
                        + " cleaned up and all jobs are unlocked.");
    }

    @Test
    void backupCleanupAdviceFollowsBbrsRule() {
        assertThat(report(ErrorKind.LOCK).advisesBackupCleanup()).isFalse();
        assertThat(report(ErrorKind.BACKUP).advisesBackupCleanup()).isFalse();
        assertThat(report(ErrorKind.GENERAL).advisesBackupCleanup()).isFalse();
        assertThat(report(ErrorKind.LOCK, ErrorKind.UNLOCK).advisesBackupCleanup()).isTrue();
        assertThat(report(ErrorKind.CLEANUP).advisesBackupCleanup()).isTrue();
        assertThat(report(ErrorKind.DRAIN).advisesBackupCleanup()).isTrue();
        assertThat(report(ErrorKind.ARTIFACT_DIR).advisesBackupCleanup()).isTrue();
    }

    @Test
    void preBackupCheckAdviceLooksOnlyAtTheFirstError() {
        assertThat(report(ErrorKind.ARTIFACT_DIR, ErrorKind.GENERAL).firstIsArtifactDirError()).isTrue();
        assertThat(report(ErrorKind.GENERAL, ErrorKind.ARTIFACT_DIR).firstIsArtifactDirError()).isFalse();
    }

    @Test
    void wrapPrefixesTheMessageAndKeepsTheKind() {
        BbrError wrapped = BbrError.of(ErrorKind.CLEANUP, "inner").wrap("outer");
        assertThat(wrapped.message()).isEqualTo("outer: inner");
        assertThat(wrapped.kind()).isEqualTo(ErrorKind.CLEANUP);
    }

    private static ErrorReport report(ErrorKind... kinds) {
        return new ErrorReport(java.util.Arrays.stream(kinds).map(k -> BbrError.of(k, k.name())).toList());
    }
}
