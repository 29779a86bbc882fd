package dev.bbr.director;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.director.http.Json;
import java.util.ArrayList;
import java.util.List;

/** Reads the ssh setup task result: a single JSON array (not NDJSON) terminated by a newline. */
final class SshResultReader {
    private SshResultReader() {}

    static List<SshHost> read(String result, String resultUrl) {
        if (result.isBlank()) {
            return List.of();
        }
        JsonNode json = Json.parse(result, "ssh setup", "GET", resultUrl);
        if (!json.isArray()) {
            throw new DirectorException(String.format(
                    "Unmarshaling Director response for ssh setup (GET '%s'): expected an array",
                    resultUrl));
        }
        List<SshHost> hosts = new ArrayList<>();
        for (JsonNode h : json) {
            JsonNode index = h.get("index");
            hosts.add(new SshHost(Json.text(h, "status"), Json.text(h, "ip"),
                    Json.text(h, "host_public_key"), Json.text(h, "id"),
                    index == null || !index.canConvertToInt() ? null : index.asInt(),
                    Json.text(h, "job")));
        }
        return List.copyOf(hosts);
    }
}
