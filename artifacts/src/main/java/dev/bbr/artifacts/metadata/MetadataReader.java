package dev.bbr.artifacts.metadata;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a {@code metadata} file as leniently as Go bbr (yaml.v2 into a struct): unknown keys are ignored,
 * {@code index} may be a quoted string or a bare int, {@code backup_activity} may be missing and its
 * times are kept verbatim whatever zone abbreviation they carry.
 *
 * <p>Parsed as a tree rather than data-bound so that leniency is explicit here, and so type errors name
 * the offending key.
 */
public final class MetadataReader {
    private final ObjectMapper yaml;

    public MetadataReader() {
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML refuses documents over 3 MB by default; a backup of many small files easily exceeds it.
        options.setCodePointLimit(Integer.MAX_VALUE);
        this.yaml = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
    }

    public BackupMetadata read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    public BackupMetadata read(byte[] content) throws MetadataException {
        JsonNode root;
        try {
            root = yaml.readTree(content);
        } catch (JacksonException e) {
            throw new MetadataException(e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MetadataException(String.valueOf(e.getMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return BackupMetadata.empty(); // yaml.v2 unmarshals an empty document into the zero value
        }
        requireObject(root, "metadata");
        return new BackupMetadata(
                instances(root.get("instances")),
                artifacts(root.get("custom_artifacts"), "custom_artifacts"),
                activity(root.get("backup_activity")));
    }

    private static List<InstanceMetadata> instances(JsonNode node) throws MetadataException {
        List<InstanceMetadata> result = new ArrayList<>();
        for (JsonNode instance : elements(node, "instances")) {
            requireObject(instance, "instances[]");
            result.add(new InstanceMetadata(
                    scalar(instance.get("name"), "instances[].name"),
                    scalar(instance.get("index"), "instances[].index"),
                    artifacts(instance.get("artifacts"), "instances[].artifacts")));
        }
        return result;
    }

    private static List<ArtifactChecksums> artifacts(JsonNode node, String where) throws MetadataException {
        List<ArtifactChecksums> result = new ArrayList<>();
        for (JsonNode artifact : elements(node, where)) {
            requireObject(artifact, where + "[]");
            result.add(new ArtifactChecksums(
                    scalar(artifact.get("name"), where + "[].name"),
                    checksums(artifact.get("checksums"), where + "[].checksums")));
        }
        return result;
    }

    private static Map<String, String> checksums(JsonNode node, String where) throws MetadataException {
        Map<String, String> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        requireObject(node, where);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            result.put(e.getKey(), scalar(e.getValue(), where + "[" + e.getKey() + "]"));
        }
        return result;
    }

    private static BackupActivity activity(JsonNode node) throws MetadataException {
        if (node == null || node.isNull()) {
            return null;
        }
        requireObject(node, "backup_activity");
        JsonNode finish = node.get("finish_time");
        String finishTime = finish == null || finish.isNull() ? null : scalar(finish, "backup_activity.finish_time");
        return new BackupActivity(scalar(node.get("start_time"), "backup_activity.start_time"),
                finishTime == null || finishTime.isEmpty() ? null : finishTime);
    }

    private static Iterable<JsonNode> elements(JsonNode node, String where) throws MetadataException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MetadataException("expected a list at " + where);
        }
        return node;
    }

    /** Missing scalars become "" (Go's zero value); maps/lists where a scalar belongs are errors. */
    private static String scalar(JsonNode node, String where) throws MetadataException {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isValueNode()) {
            throw new MetadataException("expected a scalar at " + where);
        }
        return node.asText();
    }

    private static void requireObject(JsonNode node, String where) throws MetadataException {
        if (!node.isObject()) {
            throw new MetadataException("expected a mapping at " + where);
        }
    }
}
