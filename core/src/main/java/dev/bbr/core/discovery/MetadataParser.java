package dev.bbr.core.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bbr.core.model.JobMetadata;
import dev.bbr.core.model.JobRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses what a job's {@code metadata} script prints; leniently, as bbr does (unknown keys ignored). */
public final class MetadataParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private MetadataParser() {}

    public static JobMetadata parse(String yaml) throws IOException {
        if (yaml == null || yaml.isBlank()) {
            return JobMetadata.NONE;
        }
        JsonNode root = YAML.readTree(yaml);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return JobMetadata.NONE;
        }
        if (!root.isObject()) {
            throw new IOException("failed to unmarshal job metadata: expected a mapping, got " + root.getNodeType());
        }
        JsonNode skip = root.path("skip_bbr_scripts");
        if (!skip.isMissingNode() && !skip.isNull() && !skip.isBoolean()) {
            throw new IOException("failed to unmarshal job metadata: skip_bbr_scripts must be true or false, got "
                    + describe(skip));
        }
        return new JobMetadata(refs("backup_should_be_locked_before", root.path("backup_should_be_locked_before")),
                refs("restore_should_be_locked_before", root.path("restore_should_be_locked_before")),
                skip.asBoolean(false),
                text(root.path("backup_name")), text(root.path("restore_name")));
    }

    /**
     * A lock order of the wrong shape fails discovery, as the Go bbr's yaml.Unmarshal fails it (issue
     * 11, catalogue M02): ignoring it would silently drop the order the job asked for.
     */
    private static List<JobRef> refs(String key, JsonNode list) throws IOException {
        List<JobRef> refs = new ArrayList<>();
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            throw new IOException("failed to unmarshal job metadata: " + key
                    + " must be a list of {job_name, release}, got " + describe(list));
        }
        if (list.isArray()) {
            for (JsonNode item : list) {
                if (!item.isObject()) {
                    throw new IOException("failed to unmarshal job metadata: " + key
                            + " must be a list of {job_name, release}, got an item " + describe(item));
                }
                String job = text(item.path("job_name"));
                String release = text(item.path("release"));
                if (job == null || job.isEmpty() || release == null || release.isEmpty()) {
                    throw new IOException("both job name and release should be specified for should be locked before");
                }
                refs.add(new JobRef(job, release));
            }
        }
        return refs;
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
