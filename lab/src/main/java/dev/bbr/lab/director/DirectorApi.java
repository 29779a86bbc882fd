package dev.bbr.lab.director;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.bbr.lab.Faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes and answers the Director endpoints a bbr-style client uses (lab/README.md, "Director simulator").
 * Check order mirrors the real Director: authentication, route conditions (Content-Type),
 * deployment lookup, then the handler.
 */
final class DirectorApi {
    private static final Pattern DEPLOYMENT = Pattern.compile("/deployments/([^/]+)");
    private static final Pattern DEPLOYMENT_SUB = Pattern.compile("/deployments/([^/]+)/(vms|instances|ssh)");
    private static final Pattern TASK = Pattern.compile("/tasks/(\\d+)");
    private static final Pattern TASK_OUTPUT = Pattern.compile("/tasks/(\\d+)/output");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final DirectorSettings settings;
    private final Supplier<Map<String, DirectorDeployment>> deployments;
    private final TaskStore tasks;
    private final Faults faults;
    private final SshTaskRunner ssh;

    DirectorApi(DirectorSettings settings, Supplier<Map<String, DirectorDeployment>> deployments, TaskStore tasks,
                Faults faults, SshTaskRunner ssh) {
        this.settings = settings;
        this.deployments = deployments;
        this.tasks = tasks;
        this.faults = faults;
        this.ssh = ssh;
    }

    /** Handles one authenticated-or-not request; returns nothing, writes the response. */
    void handle(HttpExchange ex, String method, String path, String query, Auth.Result auth) throws IOException {
        if (method.equals("GET") && path.equals("/info")) {
            info(ex, auth);
            return;
        }
        // every authenticated controller sets this header, even on success and in UAA mode
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"BOSH Director\"");
        if (!auth.ok()) {
            HttpReply.send(ex, 401, HttpReply.SINATRA_HTML, "Not authorized: '" + path + "'\n");
            return;
        }
        String ctx = ex.getRequestHeaders().getFirst("X-Bosh-Context-Id");
        if (ctx != null && ctx.length() > 64) {
            HttpReply.send(ex, 400, HttpReply.SINATRA_HTML,
                    HttpReply.error(70010, "X-Bosh-Context-Id cannot be more than 64 characters in length"));
            return;
        }
        Matcher m;
        if (method.equals("GET") && path.equals("/deployments")) {
            listDeployments(ex);
        } else if (method.equals("GET") && (m = DEPLOYMENT.matcher(path)).matches()) {
            DirectorDeployment d = lookup(ex, m.group(1));
            if (d != null) {
                HttpReply.send(ex, 200, HttpReply.SINATRA_HTML, Json.write(Map.of("manifest", d.manifest())));
            }
        } else if ((m = DEPLOYMENT_SUB.matcher(path)).matches()) {
            deploymentSub(ex, method, m.group(1), m.group(2), path, query, auth);
        } else if (method.equals("GET") && path.equals("/tasks")) {
            HttpReply.send(ex, 200, HttpReply.JSON, "[]");
        } else if (method.equals("GET") && (m = TASK.matcher(path)).matches()) {
            Task t = tasks.get(Integer.parseInt(m.group(1)));
            if (t == null) {
                taskNotFound(ex, m.group(1));
            } else {
                HttpReply.send(ex, 200, HttpReply.JSON, Json.write(t.poll()));
            }
        } else if (method.equals("GET") && (m = TASK_OUTPUT.matcher(path)).matches()) {
            taskOutput(ex, m.group(1), query);
        } else {
            notFound(ex, path);
        }
    }

    static void notFound(HttpExchange ex, String path) throws IOException {
        HttpReply.send(ex, 404, HttpReply.SINATRA_HTML, "Endpoint '" + path + "' not found.");
    }

    private void info(HttpExchange ex, Auth.Result auth) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", settings.name());
        info.put("uuid", settings.uuid());
        info.put("version", "280.0.0 (00000000)");
        info.put("user", auth.ok() ? auth.user() : null);
        info.put("cpi", "lab_cpi");
        info.put("stemcell_os", "ubuntu-jammy");
        info.put("stemcell_version", "1.404");
        Map<String, Object> ua = new LinkedHashMap<>();
        if (settings.uaa()) {
            ua.put("type", "uaa");
            ua.put("options", Map.of("url", settings.uaaUrl(), "urls", List.of(settings.uaaUrl())));
        } else {
            ua.put("type", "basic");
            ua.put("options", Map.of());
        }
        info.put("user_authentication", ua);
        info.put("features", Map.of());
        HttpReply.send(ex, 200, HttpReply.JSON, Json.write(info));
    }

    private void listDeployments(HttpExchange ex) throws IOException {
        List<Object> out = new ArrayList<>();
        deployments.get().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("teams", List.of());
            m.put("cloud_config", "latest");
            m.put("stemcells", List.of(Map.of("name", "bosh-lab-ubuntu-jammy-go_agent", "version", "1.404")));
            m.put("releases", d.releases().stream().map(r -> Map.of("name", r, "version", "1.0.0")).toList());
            m.put("locked", false);
            out.add(m);
        });
        HttpReply.send(ex, 200, HttpReply.SINATRA_HTML, Json.write(out));
    }

    private DirectorDeployment lookup(HttpExchange ex, String name) throws IOException {
        DirectorDeployment d = deployments.get().get(name);
        if (d == null) {
            HttpReply.send(ex, 404, HttpReply.SINATRA_HTML, HttpReply.error(70000, "Deployment '" + name + "' doesn't exist"));
        }
        return d;
    }

    private void deploymentSub(HttpExchange ex, String method, String name, String what, String path, String query,
                               Auth.Result auth) throws IOException {
        if (what.equals("ssh")) {
            String ct = ex.getRequestHeaders().getFirst("Content-Type");
            // Sinatra's `consumes :json` route condition is checked before the deployment lookup
            if (!method.equals("POST") || ct == null || !ct.toLowerCase().startsWith("application/json")) {
                notFound(ex, path);
                return;
            }
            DirectorDeployment d = lookup(ex, name);
            if (d == null) {
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            JsonNode req;
            try {
                req = Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
                if (req == null || !req.isObject()) {
                    throw new IOException("not an object");
                }
            } catch (IOException e) {
                HttpReply.send(ex, 500, null, "");
                return;
            }
            String command = req.path("command").asText("");
            Task t = tasks.create("ssh", "ssh: " + command + ":" + SshTaskRunner.rubyInspect(req.path("target")),
                    d.name(), auth.user(), faults.taskQueuedPolls(), faults.taskProcessingPolls(),
                    task -> {
                        failIfInjected("ssh");
                        task.succeed(ssh.run(d, req));
                    });
            redirectToTask(ex, t);
            return;
        }
        if (!method.equals("GET")) {
            notFound(ex, path);
            return;
        }
        DirectorDeployment d = lookup(ex, name);
        if (d == null) {
            return;
        }
        boolean full = query != null && List.of(query.split("&")).contains("format=full");
        if (!full) {
            HttpReply.send(ex, 200, HttpReply.SINATRA_HTML, Json.write(VmInfo.shortList(d, what.equals("vms"))));
            return;
        }
        String description = what.equals("vms") ? "retrieve vm-stats" : "retrieve vm-stats";
        Task t = tasks.create(what, description, d.name(), auth.user(), faults.taskQueuedPolls(),
                faults.taskProcessingPolls(), task -> {
                    failIfInjected(what);
                    StringBuilder sb = new StringBuilder();
                    for (DirectorInstance i : d.instances()) {
                        sb.append(Json.write(VmInfo.full(i))).append('\n');
                    }
                    task.succeed(sb.toString());
                });
        redirectToTask(ex, t);
    }

    private void failIfInjected(String type) {
        String msg = faults.takeTaskFailure(type);
        if (msg != null) {
            throw new TaskStore.TaskFailure(100, msg);
        }
    }

    private void redirectToTask(HttpExchange ex, Task t) throws IOException {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || host.isBlank()) {
            host = settings.hostPort();
        }
        ex.getResponseHeaders().set("Location", "https://" + host + "/tasks/" + t.id);
        HttpReply.send(ex, 302, null, "");
    }

    private static void taskNotFound(HttpExchange ex, String id) throws IOException {
        HttpReply.send(ex, 404, HttpReply.SINATRA_HTML, HttpReply.error(10000, "Task " + id + " not found"));
    }

    private void taskOutput(HttpExchange ex, String id, String query) throws IOException {
        Task t = tasks.get(Integer.parseInt(id));
        if (t == null) {
            taskNotFound(ex, id);
            return;
        }
        String type = "debug";
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("type=")) {
                    type = kv.substring(5);
                }
            }
        }
        switch (type) {
            case "none", "debug", "cpi" -> {
                // the lab keeps no debug/cpi logs on disk: the real Director answers 204 for a missing file
                HttpReply.send(ex, 204, null, "");
                return;
            }
            case "event", "result" -> {
            }
            default -> {
                HttpReply.send(ex, 401, HttpReply.SINATRA_HTML, HttpReply.error(600000, "Unknown type " + type));
                return;
            }
        }
        byte[] body = t.output(type).getBytes(StandardCharsets.UTF_8);
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher rm = range == null ? null : RANGE.matcher(range.trim());
        // Rack: empty output or no/multiple ranges -> plain 200 with everything
        if (body.length == 0 || rm == null || !rm.matches() || (rm.group(1).isEmpty() && rm.group(2).isEmpty())) {
            HttpReply.sendBytes(ex, 200, HttpReply.SINATRA_HTML, body);
            return;
        }
        long size = body.length;
        long from;
        long to;
        if (rm.group(1).isEmpty()) {
            long suffix = Long.parseLong(rm.group(2));
            from = Math.max(0, size - suffix);
            to = size - 1;
        } else {
            from = Long.parseLong(rm.group(1));
            to = rm.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(rm.group(2)), size - 1);
        }
        if (from >= size || from > to) {
            ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
            HttpReply.send(ex, 416, HttpReply.SINATRA_HTML, "Byte range unsatisfiable");
            return;
        }
        ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        byte[] part = new byte[(int) (to - from + 1)];
        System.arraycopy(body, (int) from, part, 0, part.length);
        HttpReply.sendBytes(ex, 206, HttpReply.SINATRA_HTML, part);
    }
}
