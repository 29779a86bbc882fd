package dev.bbr.director;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbr.director.http.Json;
import java.util.List;

/**
 * JSON bodies for {@code POST /deployments/<d>/ssh}, shaped exactly like bosh-cli's. Both
 * {@code indexes} and {@code ids} are always sent: the Director iterates {@code ids}
 * unconditionally and falls back to a legacy path when only {@code indexes} is present.
 */
final class SshRequestBody {
    private SshRequestBody() {}

    static String setup(String deployment, String group, String user, String publicKey) {
        ObjectNode body = base("setup", deployment, group, List.of());
        body.putObject("params").put("user", user).put("public_key", publicKey);
        return body.toString();
    }

    static String cleanup(String deployment, String group, List<String> ids, String userRegex) {
        ObjectNode body = base("cleanup", deployment, group, ids);
        body.putObject("params").put("user_regex", userRegex);
        return body.toString();
    }

    private static ObjectNode base(String command, String deployment, String group,
            List<String> ids) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("command", command).put("deployment_name", deployment);
        ObjectNode target = body.putObject("target");
        if (group != null) {
            target.put("job", group);
        }
        var indexes = target.putArray("indexes");
        var idArray = target.putArray("ids");
        ids.forEach(id -> {
            indexes.add(id);
            idArray.add(id);
        });
        return body;
    }
}
