package dev.bbr.lab;

/** Outcome of a command run by the lab (on the host or inside an instance namespace). */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** Fails loudly with everything a human needs to see why a lab command broke. */
    public ExecResult orThrow(String what) {
        if (exitCode != 0) {
            throw new LabException(what + " failed (exit " + exitCode + "): " + stderr.strip() + " " + stdout.strip());
        }
        return this;
    }
}
