package dev.bbr.director;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.director.http.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code vms?format=full} task result: NDJSON, one instance per line, arbitrary order.
 * Only the fields bbr uses are kept; vitals and processes are ignored.
 */
final class VmInfoReader {
    private VmInfoReader() {}

    static List<VmInfo> read(String result, String resultUrl) {
        List<VmInfo> vms = new ArrayList<>();
        for (String line : result.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode vm = Json.parse(line, "vm infos", "GET", resultUrl);
            List<String> ips = new ArrayList<>();
            vm.path("ips").forEach(ip -> ips.add(ip.asText()));
            JsonNode index = vm.get("index");
            JsonNode active = vm.get("active");
            vms.add(new VmInfo(Json.text(vm, "id"), Json.text(vm, "job_name"),
                    index == null || !index.canConvertToInt() ? null : index.asInt(),
                    List.copyOf(ips), vm.path("bootstrap").asBoolean(false), Json.text(vm, "az"),
                    active == null || active.isNull() ? null : active.asBoolean()));
        }
        return List.copyOf(vms);
    }
}
