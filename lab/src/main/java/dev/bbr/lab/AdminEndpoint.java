package dev.bbr.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.bbr.lab.director.DirectorServer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /_lab/* on the Director port, no auth (the CLI never calls it; its requests are not logged):
 * GET|POST /_lab/faults, GET|DELETE /_lab/requests, GET /_lab/status.
 */
final class AdminEndpoint implements DirectorServer.AdminApi {
    private final Lab lab;

    AdminEndpoint(Lab lab) {
        this.lab = lab;
    }

    @Override
    public void handle(HttpExchange ex, String method, String path) throws IOException {
        switch (method + " " + path) {
            case "GET /_lab/faults" -> DirectorServer.reply(ex, 200, DirectorServer.toJson(lab.faults().json()));
            case "POST /_lab/faults" -> {
                JsonNode body;
                try {
                    body = DirectorServer.readJson(ex);
                } catch (IOException e) {
                    DirectorServer.reply(ex, 400, DirectorServer.toJson(Map.of("error", "invalid JSON: " + e.getMessage())));
                    return;
                }
                try {
                    lab.faults().apply(body);
                    DirectorServer.reply(ex, 200, DirectorServer.toJson(lab.faults().json()));
                } catch (UnsupportedOperationException e) {
                    DirectorServer.reply(ex, 501, DirectorServer.toJson(Map.of("error", e.getMessage())));
                } catch (RuntimeException e) {
                    DirectorServer.reply(ex, 400, DirectorServer.toJson(Map.of("error", String.valueOf(e.getMessage()))));
                }
            }
            case "GET /_lab/requests" -> DirectorServer.reply(ex, 200, DirectorServer.toJson(lab.requests()));
            case "DELETE /_lab/requests" -> {
                lab.clearRequests();
                DirectorServer.reply(ex, 204, "");
            }
            case "GET /_lab/status" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("director", lab.directorUrl());
                m.put("state_dir", lab.stateDir().toString());
                m.put("vms", lab.allVms().stream().map(v -> {
                    Map<String, Object> vm = new LinkedHashMap<>();
                    vm.put("name", v.name());
                    vm.put("ip", v.ip());
                    vm.put("id", v.id());
                    vm.put("sshd_running", v.sshdRunning());
                    return vm;
                }).toList());
                m.put("bosh_users", lab.boshUsers());
                DirectorServer.reply(ex, 200, DirectorServer.toJson(m));
            }
            default -> DirectorServer.reply(ex, 404, DirectorServer.toJson(Map.of("error", "no admin endpoint " + method + " " + path,
                    "endpoints", List.of("GET|POST /_lab/faults", "GET|DELETE /_lab/requests", "GET /_lab/status"))));
        }
    }
}
