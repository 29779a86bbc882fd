package dev.bbr.core.drain;

import dev.bbr.core.model.Instance;
import dev.bbr.core.model.Job;
import dev.bbr.core.remote.ExecResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size of each artifact, measured in the backup script's own session: after a successful
 * script the same command prints a marker and {@code du -sb} of the artifact directory. That saves
 * the drain a session per artifact and gives the run every size before the first byte is drained
 * (the disk-space check needs the total). The marker carries the run id and starts on a line of its
 * own, so no script output is mistaken for it, and it is cut off again before the script's output
 * is logged. {@code du -sb} (apparent size) is what the drain measured before, so
 * "Copying backup -- 4.1K uncompressed" is unchanged.
 */
public final class ArtifactSizes {
    private final String marker;
    private final Pattern measured;
    private final Map<String, Long> bytes = new ConcurrentHashMap<>();

    /** @param runId makes the marker unique to this run */
    public ArtifactSizes(String runId) {
        this.marker = "\nbbr-artifact-size-" + runId + " ";
        this.measured = Pattern.compile(Pattern.quote(marker) + "(\\d+)\\s[^\n]*\n?\\z");
    }

    /**
     * What the backup command prints before {@code du -sb}'s answer (see
     * {@code InstanceCommands.backupStep}). A failing {@code du} prints no number: the drain then
     * measures on its own, with bbr's error if that fails.
     */
    public String marker() {
        return marker;
    }

    /**
     * Records the size the command printed and returns the result as the script alone left it,
     * marker and size cut off (unchanged when there is none).
     */
    public ExecResult record(Instance instance, Job job, ExecResult result) {
        byte[] stdout = result.stdout();
        int at = lastIndexOf(stdout, marker.getBytes(StandardCharsets.UTF_8));
        if (at < 0) {
            return result;
        }
        Matcher m = measured.matcher(new String(stdout, at, stdout.length - at, StandardCharsets.UTF_8));
        if (m.matches()) {
            bytes.put(key(instance, job), Long.parseLong(m.group(1)));
        }
        return new ExecResult(result.exitCode(), Arrays.copyOf(stdout, at), result.stderr());
    }

    /** Records a size measured some other way (the drain's own {@code du}). */
    public void put(Instance instance, Job job, long size) {
        bytes.put(key(instance, job), size);
    }

    /** The measured size, when the backup command reported one. */
    public OptionalLong of(Instance instance, Job job) {
        Long size = bytes.get(key(instance, job));
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }

    /** Script output is bytes, not necessarily UTF-8: the marker is looked for byte by byte. */
    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String key(Instance instance, Job job) {
        return instance.identifier() + "\0" + instance.artifactDirectory(job);
    }
}
