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
     * Lists bbr scripts NUL-separated, so that any file name survives. A missing glob is not an
     * error: {@code find} prints nothing when no job has a bin/bbr directory.
     */
    public static String findScripts() {
        return "sudo -n sh -c " + quote("for d in /var/vcap/jobs/*/bin/bbr; do [ -d \"$d\" ] && find \"$d\" "
                + "-mindepth 1 -maxdepth 1 -type f -print0; done; true");
    }

    public static String runScript(String scriptPath, Map<String, String> env) {
        StringJoiner cmd = new StringJoiner(" ");
        cmd.add("sudo -n");
        if (!env.isEmpty()) {
            cmd.add("env");
            env.forEach((k, v) -> cmd.add(k + "=" + quote(v)));
        }
        cmd.add(quote(scriptPath));
        return cmd.toString();
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
        return "sudo -n tar -C " + quote(dir) + " -cf - .";
    }

    /** Unpacks stdin into the directory (restore). */
    public static String untarFromStdin(String dir) {
        return "sudo -n tar -C " + quote(dir) + " -xf -";
    }

    /**
     * SHA-256 of every regular file, NUL-separated so that names with spaces, quotes or newlines are
     * exact; the command and its parser live together in {@link RemoteSha256Output}.
     */
    public static String checksums(String dir) {
        return "sudo -n sh -c " + quote(RemoteSha256Output.command(quote(dir)));
    }
}
