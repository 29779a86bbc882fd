package dev.bbr.core.remote;

import static dev.bbr.core.remote.ShellQuote.quote;

import dev.bbr.artifacts.tar.RemoteSha256Output;
import dev.bbr.core.model.RemoteLayout;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The commands bbr runs on instances, built in one place with every value quoted. All of them run
 * through {@code sudo}, which BOSH stemcells grant to the temporary user without a password
 * ({@code -n} makes a missing grant fail fast instead of hanging on a prompt).
 */
public final class InstanceCommands {
    private InstanceCommands() {}

    /**
     * What {@link #findScripts()} prints after the scripts when {@link RemoteLayout#ARTIFACT_ROOT}
     * already exists. Not an absolute path, so no script path can be mistaken for it.
     */
    public static final String ARTIFACT_ROOT_PRESENT = "bbr-artifact-root-present";

    /**
     * Lists bbr scripts NUL-separated, so that any file name survives. A missing glob is not an
     * error: {@code find} prints nothing when no job has a bin/bbr directory. The same session
     * tells whether the artifact root is already there (the pre-check of backup and restore), which
     * saves each instance a second session: {@code [ -e ]} or {@code [ -L ]} is what bbr's
     * {@code stat} tells, a dangling symlink included.
     */
    public static String findScripts() {
        String root = quote(RemoteLayout.ARTIFACT_ROOT);
        return "sudo -n sh -c " + quote("for d in /var/vcap/jobs/*/bin/bbr; do [ -d \"$d\" ] && find \"$d\" "
                + "-mindepth 1 -maxdepth 1 -type f -print0; done; if [ -e " + root + " ] || [ -L " + root
                + " ]; then printf '%s\\0' " + ARTIFACT_ROOT_PRESENT + "; fi; true");
    }

    /** Seconds a stopped command gets to exit after SIGTERM before its process group is killed. */
    static final int STOP_GRACE_SECONDS = 10;

    public static String runScript(String scriptPath, Map<String, String> env) {
        return runScript(scriptPath, env, null);
    }

    /**
     * A script run; with a run id it is stoppable by {@link #stopRun(String)}: it runs under
     * {@code timeout 0} (no time limit), which on SIGTERM passes the signal to the script's whole
     * process group, children included, and kills the group {@value #STOP_GRACE_SECONDS} s later
     * if it is still there. The run id in {@code timeout}'s arguments is what {@code pkill} finds.
     */
    public static String runScript(String scriptPath, Map<String, String> env, String runId) {
        StringJoiner cmd = new StringJoiner(" ");
        cmd.add(runId == null ? "sudo -n" : stoppablePrefix(runId));
        if (!env.isEmpty()) {
            if (runId == null) {
                cmd.add("env");
            }
            env.forEach((k, v) -> cmd.add(k + "=" + quote(v)));
        }
        cmd.add(quote(scriptPath));
        return cmd.toString();
    }

    /**
     * bbr's backup step for one job in a single {@code sudo} (each costs an instance 15-25 ms of CPU,
     * and bbr spent three here): make the artifact directory, run the script with
     * {@code BBR_ARTIFACT_DIRECTORY} and {@code ARTIFACT_DIRECTORY} as {@link #runScript} does,
     * stoppable, and once it succeeded print {@code sizeMarker} and {@code du -sb} of the directory
     * (a failing du prints no number and fails nothing). Every value reaches the shell as an
     * argument, the run id included, so that only {@code timeout}'s own command line carries
     * {@code BBR_RUN_ID=<id>} for {@link #stopRun} to find, not the shell or sudo around it.
     */
    public static String backupStep(String scriptPath, String directory, String runId, String sizeMarker) {
        String script = "mkdir -p -- \"$1\" && timeout -k " + STOP_GRACE_SECONDS + " 0 env " + RUN_ID_VARIABLE
                + "=\"$2\" BBR_ARTIFACT_DIRECTORY=\"$1/\" ARTIFACT_DIRECTORY=\"$1/\" \"$3\""
                + " && { printf '%s' \"$4\"; du -sb -- \"$1\" 2>/dev/null; true; }";
        return "sudo -n sh -c " + quote(script) + " sh " + quote(directory) + " " + quote(requireRunId(runId)) + " "
                + quote(scriptPath) + " " + quote(sizeMarker);
    }

    /** {@code sudo -n timeout … env BBR_RUN_ID=<id>}: what makes a command stoppable. */
    private static String stoppablePrefix(String runId) {
        return "sudo -n timeout -k " + STOP_GRACE_SECONDS + " 0 env " + RUN_ID_VARIABLE + "=" + quote(requireRunId(runId));
    }

    /** The environment variable carrying the run id (also visible to scripts). */
    public static final String RUN_ID_VARIABLE = "BBR_RUN_ID";

    /**
     * Stops every stoppable command of the run on this instance (SIGTERM to {@code timeout}, which
     * passes it on). The pattern's bracket keeps pkill from matching its own command line.
     * Exit 1 means nothing was running.
     */
    public static String stopRun(String runId) {
        String id = requireRunId(runId);
        return "sudo -n pkill -TERM -f " + quote(RUN_ID_VARIABLE + "=[" + id.charAt(0) + "]" + id.substring(1));
    }

    /**
     * Stops the stoppable commands of every bbr run on the instance, for the cleanup commands after a
     * killed run (whose id nobody knows any more). The bracket keeps pkill from matching itself, and
     * waits up to the grace period so that the unlock scripts run after them. Exit 1: nothing was running.
     */
    public static String stopAnyRun() {
        return "sudo -n sh -c " + quote("pkill -TERM -f '" + RUN_ID_VARIABLE + "=[0-9a-zA-Z]' || exit 0; i=0;"
                + " while pgrep -f '" + RUN_ID_VARIABLE + "=[0-9a-zA-Z]' >/dev/null && [ $i -lt "
                + (STOP_GRACE_SECONDS * 5 + 10) + " ]; do sleep 0.2; i=$((i+1)); done; exit 0");
    }

    private static String requireRunId(String runId) {
        if (runId == null || !runId.matches("[0-9a-zA-Z-]{8,64}")) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return runId;
    }

    /** Exit 0 iff the path exists. */
    public static String exists(String path) {
        return "sudo -n stat " + quote(path);
    }

    public static String makeDirectory(String path) {
        return "sudo -n mkdir -p " + quote(path);
    }

    public static String remove(String path) {
        return "sudo -n rm -rf " + quote(path);
    }

    public static String removeArtifactRoot() {
        return remove(RemoteLayout.ARTIFACT_ROOT);
    }

    /** Apparent size in bytes of a directory's files, for progress (closer to the tar size than du -s). */
    public static String sizeInBytes(String dir) {
        return "sudo -n du -sb " + quote(dir);
    }

    /** The artifact stream: GNU tar of the directory to stdout, entries prefixed {@code ./}, as bbr. */
    public static String tarToStdout(String dir) {
        return tarToStdout(dir, null);
    }

    /** As {@link #tarToStdout(String)}, stoppable by {@link #stopRun(String)} when a run id is given. */
    public static String tarToStdout(String dir, String runId) {
        return (runId == null ? "sudo -n" : stoppablePrefix(runId)) + " tar -C " + quote(dir) + " -cf - .";
    }

    /** Unpacks stdin into the directory (restore). */
    public static String untarFromStdin(String dir) {
        return untarFromStdin(dir, null);
    }

    /** As {@link #untarFromStdin(String)}, stoppable by {@link #stopRun(String)} when a run id is given. */
    public static String untarFromStdin(String dir, String runId) {
        return (runId == null ? "sudo -n" : stoppablePrefix(runId)) + " tar -C " + quote(dir) + " -xf -";
    }

    /**
     * SHA-256 of every regular file, NUL-separated so that names with spaces, quotes or newlines are
     * exact; the command and its parser live together in {@link RemoteSha256Output}.
     */
    public static String checksums(String dir) {
        return "sudo -n sh -c " + quote(RemoteSha256Output.command(quote(dir)));
    }
}
