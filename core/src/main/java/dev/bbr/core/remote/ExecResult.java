package dev.bbr.core.remote;

import java.nio.charset.StandardCharsets;

/** Exit code and output of one remote command. stdout is empty when it was streamed elsewhere. */
public record ExecResult(int exitCode, byte[] stdout, String stderr) {

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** bbr's rendering of a failed command: {@code <stderr trimmed> - exit code <n>}. */
    public String failureText() {
        return stderr.trim() + " - exit code " + exitCode;
    }
}
