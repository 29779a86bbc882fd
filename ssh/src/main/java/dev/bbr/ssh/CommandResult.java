package dev.bbr.ssh;

import java.nio.charset.StandardCharsets;

/**
 * Outcome of one remote command.
 *
 * @param stdout captured stdout (empty when it was streamed into a sink)
 * @param stderr the last 64 KiB of stderr, UTF-8 decoded
 */
public record CommandResult(int exitCode, byte[] stdout, String stderr) {

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Sizes only: output may contain secrets and belongs in DEBUG logs at most. */
    @Override
    public String toString() {
        return "CommandResult[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr="
                + stderr.length() + " chars]";
    }
}
