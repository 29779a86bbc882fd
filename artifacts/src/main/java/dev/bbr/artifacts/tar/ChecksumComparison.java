package dev.bbr.artifacts.tar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares two checksum maps the way bbr does (same key set, same value per key) and renders bbr's
 * error text. Unlike bbr, names present only on the remote side are reported too (bbr would print
 * {@code []} and "0 files"), and names are sorted so the message is deterministic.
 */
public final class ChecksumComparison {
    private static final int NAMES_IN_MESSAGE = 10;

    private final List<String> mismatched;
    private final List<String> missingRemotely;
    private final List<String> missingLocally;

    private ChecksumComparison(List<String> mismatched, List<String> missingRemotely, List<String> missingLocally) {
        this.mismatched = List.copyOf(mismatched);
        this.missingRemotely = List.copyOf(missingRemotely);
        this.missingLocally = List.copyOf(missingLocally);
    }

    /**
     * @param local  what we computed (e.g. from the downloaded tar, or the metadata on restore)
     * @param remote what the other side reports (the VM's sha256sum, or the tar on restore)
     */
    public static ChecksumComparison compare(Map<String, String> local, Map<String, String> remote) {
        List<String> mismatched = new ArrayList<>();
        List<String> missingRemotely = new ArrayList<>();
        List<String> missingLocally = new ArrayList<>();
        for (String name : new TreeSet<>(local.keySet())) {
            String other = remote.get(name);
            if (other == null) {
                missingRemotely.add(name);
            } else if (!Objects.equals(local.get(name), other)) {
                mismatched.add(name);
            }
        }
        for (String name : new TreeSet<>(remote.keySet())) {
            if (!local.containsKey(name)) {
                missingLocally.add(name);
            }
        }
        return new ChecksumComparison(mismatched, missingRemotely, missingLocally);
    }

    public boolean matches() {
        return mismatched.isEmpty() && missingRemotely.isEmpty() && missingLocally.isEmpty();
    }

    /** Present on both sides with different digests. */
    public List<String> mismatched() {
        return mismatched;
    }

    /** In the local map only. */
    public List<String> missingRemotely() {
        return missingRemotely;
    }

    /** In the remote map only. */
    public List<String> missingLocally() {
        return missingLocally;
    }

    /** Every differing name, sorted: what bbr calls "checksums don't match for". */
    public List<String> failedNames() {
        TreeSet<String> all = new TreeSet<>(mismatched);
        all.addAll(missingRemotely);
        all.addAll(missingLocally);
        return List.copyOf(all);
    }

    /**
     * bbr's drain error: {@code Backup is corrupted, checksum failed for <instance> <job> - checksums
     * don't match for [a b]. Checksum failed for <n> files in total}.
     *
     * @param instance {@code <group>/<id>} (or {@code <group>/<index>} on restore)
     */
    public String corruptionMessage(String instance, String job) {
        return "Backup is corrupted, " + detail(instance, job);
    }

    /** bbr's restore upload error: {@code Backup couldn't be transferred, checksum failed for …}. */
    public String transferMessage(String instance, String job) {
        return "Backup couldn't be transferred, " + detail(instance, job);
    }

    private String detail(String instance, String job) {
        List<String> names = failedNames();
        return "checksum failed for " + instance + " " + job + " - checksums don't match for "
                + goSlice(names.subList(0, Math.min(NAMES_IN_MESSAGE, names.size())))
                + ". Checksum failed for " + names.size() + " files in total";
    }

    /** Go's {@code %v} of a []string: {@code [a b c]}. */
    static String goSlice(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    @Override
    public String toString() {
        return "ChecksumComparison[mismatched=" + mismatched + ", missingRemotely=" + missingRemotely
                + ", missingLocally=" + missingLocally + "]";
    }
}
