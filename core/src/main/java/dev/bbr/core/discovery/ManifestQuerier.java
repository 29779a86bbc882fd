package dev.bbr.core.discovery;

import dev.bbr.core.errors.Failures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/**
 * Reads job releases and {@code backup_one_restore_all} from a manifest, v2
 * ({@code instance_groups[].jobs[]}) or v1 ({@code jobs[].templates[]}), as bbr does.
 */
public final class ManifestQuerier implements ManifestInfo {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final JsonNode root;

    private ManifestQuerier(JsonNode root) {
        this.root = root;
    }

    public static ManifestQuerier parse(String deployment, String manifestYaml) throws DiscoveryException {
        if (manifestYaml == null || manifestYaml.isBlank()) {
            return new ManifestQuerier(YAML.createObjectNode());
        }
        try {
            JsonNode root = YAML.readTree(manifestYaml);
            return new ManifestQuerier(root == null ? YAML.createObjectNode() : root);
        } catch (IOException e) {
            throw new DiscoveryException("couldn't generate manifest querier for deployment " + deployment + ": "
                    + Failures.describe(e), e);
        }
    }

    @Override
    public String releaseOf(String group, String job) {
        JsonNode release = jobNode(group, job).path("release");
        return release.isTextual() ? release.asText() : "";
    }

    @Override
    public boolean backupOneRestoreAll(String group, String job) {
        JsonNode flag = propertiesOf(group, job).path("bbr").path("backup_one_restore_all");
        // bbr panics on a non-boolean value; we treat anything but a YAML true as off
        return flag.isBoolean() && flag.asBoolean();
    }

    private JsonNode propertiesOf(String group, String job) {
        if (root.has("instance_groups")) {
            return jobNode(group, job).path("properties");
        }
        return findByName(root.path("jobs"), group).path("properties");
    }

    private JsonNode jobNode(String group, String job) {
        if (root.has("instance_groups")) {
            return findByName(findByName(root.path("instance_groups"), group).path("jobs"), job);
        }
        return findByName(findByName(root.path("jobs"), group).path("templates"), job);
    }

    private static JsonNode findByName(JsonNode list, String name) {
        if (list.isArray()) {
            for (JsonNode item : list) {
                if (name.equals(item.path("name").asText(null))) {
                    return item;
                }
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
