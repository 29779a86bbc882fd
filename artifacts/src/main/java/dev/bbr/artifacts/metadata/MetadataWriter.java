package dev.bbr.artifacts.metadata;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link BackupMetadata} exactly as Go bbr (gopkg.in/yaml.v2) does: fixed key order, two-space
 * indentation, sequences not indented under their key, checksum keys sorted in yaml.v2's order, empty collections omitted
 * where bbr uses {@code omitempty} and written as {@code []}/{@code {}} where it does not.
 *
 * <p>A hand-written emitter instead of Jackson because Jackson's YAML generator indents differently
 * and quotes differently; byte identity with bbr's files is part of the drop-in promise.
 */
public final class MetadataWriter {
    /** YAML forbids implicit keys longer than 1024 characters; longer paths use the explicit "? key" form. */
    private static final int MAX_IMPLICIT_KEY = 1000;

    public byte[] toBytes(BackupMetadata metadata) {
        return write(metadata).getBytes(StandardCharsets.UTF_8);
    }

    public String write(BackupMetadata metadata) {
        StringBuilder out = new StringBuilder();
        if (!metadata.instances().isEmpty()) {
            out.append("instances:\n");
            for (InstanceMetadata instance : metadata.instances()) {
                writeInstance(out, instance);
            }
        }
        if (!metadata.customArtifacts().isEmpty()) {
            out.append("custom_artifacts:\n");
            writeArtifacts(out, metadata.customArtifacts(), "");
        }
        metadata.backupActivity().ifPresent(activity -> writeActivity(out, activity));
        // yaml.v2 renders a struct with every field omitted as an empty flow mapping.
        return out.length() == 0 ? "{}\n" : out.toString();
    }

    private static void writeInstance(StringBuilder out, InstanceMetadata instance) {
        out.append("- name: ").append(YamlScalars.render(instance.name())).append('\n');
        // bbr declares index as a string, so yaml.v2 always quotes the numeric value.
        out.append("  index: ").append(YamlScalars.doubleQuoted(instance.index())).append('\n');
        if (instance.artifacts().isEmpty()) {
            out.append("  artifacts: []\n");
            return;
        }
        out.append("  artifacts:\n");
        writeArtifacts(out, instance.artifacts(), "  ");
    }

    private static void writeArtifacts(StringBuilder out, List<ArtifactChecksums> artifacts, String indent) {
        for (ArtifactChecksums artifact : artifacts) {
            out.append(indent).append("- name: ").append(YamlScalars.render(artifact.name())).append('\n');
            writeChecksums(out, artifact.checksums(), indent + "  ");
        }
    }

    private static void writeChecksums(StringBuilder out, Map<String, String> checksums, String indent) {
        if (checksums.isEmpty()) {
            out.append(indent).append("checksums: {}\n");
            return;
        }
        out.append(indent).append("checksums:\n");
        String entryIndent = indent + "  ";
        for (String path : YamlV2KeyOrder.sortedKeys(checksums)) {
            String key = YamlScalars.render(path);
            String value = YamlScalars.render(checksums.get(path));
            if (path.length() > MAX_IMPLICIT_KEY) {
                out.append(entryIndent).append("? ").append(key).append('\n');
                out.append(entryIndent).append(": ").append(value).append('\n');
            } else {
                out.append(entryIndent).append(key).append(": ").append(value).append('\n');
            }
        }
    }

    private static void writeActivity(StringBuilder out, BackupActivity activity) {
        out.append("backup_activity:\n");
        out.append("  start_time: ").append(YamlScalars.render(activity.startTime())).append('\n');
        activity.finishTime().ifPresent(t -> out.append("  finish_time: ").append(YamlScalars.render(t)).append('\n'));
    }
}
