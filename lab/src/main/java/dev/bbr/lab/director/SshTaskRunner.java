package dev.bbr.lab.director;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.lab.Faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The `ssh` task: picks the targeted instances like the Director does and asks the agent backend
 * to set up or clean up the temporary user on each, producing the one-line JSON array result.
 */
final class SshTaskRunner {
    /** Linux user names the lab is willing to create (bosh-cli makes bosh_ + 15 hex). */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private final AgentBackend agents;
    private final Faults faults;

    SshTaskRunner(AgentBackend agents, Faults faults) {
        this.agents = agents;
        this.faults = faults;
    }

    String run(DirectorDeployment d, JsonNode req) {
        String command = req.path("command").asText("");
        List<DirectorInstance> targets = select(d, req.path("target"));
        List<Map<String, Object>> results = new ArrayList<>();
        switch (command) {
            case "setup" -> {
                String user = req.path("params").path("user").asText("");
                String key = req.path("params").path("public_key").asText("").strip();
                if (!USER.matcher(user).matches() || key.isEmpty() || key.contains("\n")) {
                    throw new TaskStore.TaskFailure(450001, "Action Failed ssh: invalid user or public key");
                }
                for (DirectorInstance i : targets) {
                    if (faults.sshSetupFails(i.name())) {
                        throw new TaskStore.TaskFailure(450001, "Action Failed ssh: lab fault: setting up ssh user on '"
                                + i.group() + "/" + i.id() + "' failed");
                    }
                    agents.setupSsh(i, user, key);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("command", "setup");
                    r.put("status", "success");
                    r.put("ip", i.ip());
                    r.put("host_public_key", faults.reportedHostKey(i.name(), agents.hostPublicKey(i)));
                    r.put("id", i.id());
                    r.put("index", i.index());
                    r.put("job", i.group());
                    results.add(r);
                }
            }
            case "cleanup" -> {
                Pattern regex;
                try {
                    regex = Pattern.compile(req.path("params").path("user_regex").asText(""));
                } catch (PatternSyntaxException e) {
                    throw new TaskStore.TaskFailure(450001, "Action Failed ssh: bad user_regex");
                }
                for (DirectorInstance i : targets) {
                    agents.cleanupSsh(i, regex);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("command", "cleanup");
                    r.put("status", "success");
                    r.put("id", i.id());
                    r.put("index", i.index());
                    r.put("job", i.group());
                    results.add(r);
                }
            }
            default -> throw new TaskStore.TaskFailure(100, "Unknown command: " + command);
        }
        return Json.write(results) + "\n";
    }

    /** Director filter: group by target.job (absent = all); ids of all digits match the index, others the uuid. */
    private static List<DirectorInstance> select(DirectorDeployment d, JsonNode target) {
        String job = target.hasNonNull("job") ? target.get("job").asText() : null;
        List<String> ids = new ArrayList<>();
        JsonNode idNode = target.has("ids") ? target.get("ids") : target.path("indexes");
        idNode.forEach(n -> ids.add(n.asText()));
        List<DirectorInstance> out = new ArrayList<>();
        for (DirectorInstance i : d.instances()) {
            if (job != null && !job.equals(i.group())) {
                continue;
            }
            if (!ids.isEmpty() && ids.stream().noneMatch(v -> v.matches("\\d+") ? Integer.parseInt(v) == i.index() : v.equals(i.id()))) {
                continue;
            }
            out.add(i);
        }
        if (out.isEmpty()) {
            throw new TaskStore.TaskFailure(70001, "No instances matched " + rubyInspect(target));
        }
        return out;
    }

    /** Roughly Ruby's Hash#inspect, as the Director puts it into descriptions and errors. */
    static String rubyInspect(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "nil";
        }
        if (n.isObject()) {
            List<String> parts = new ArrayList<>();
            n.properties().forEach(e -> parts.add("\"" + e.getKey() + "\" => " + rubyInspect(e.getValue())));
            return "{" + String.join(", ", parts) + "}";
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(rubyInspect(e)));
            return "[" + String.join(", ", parts) + "]";
        }
        return n.isTextual() ? "\"" + n.asText() + "\"" : n.toString();
    }
}
