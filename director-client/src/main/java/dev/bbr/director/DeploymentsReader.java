package dev.bbr.director;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.director.DeploymentSummary.NamedVersion;
import dev.bbr.director.http.ApiResponse;
import dev.bbr.director.http.Json;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code GET /deployments}. */
final class DeploymentsReader {
    private DeploymentsReader() {}

    static List<DeploymentSummary> read(ApiResponse response) {
        JsonNode json = Json.parse(response, "deployments");
        if (!json.isArray()) {
            throw new DirectorException(String.format(
                    "Unmarshaling Director response for deployments (%s '%s'): expected an array",
                    response.method(), response.url()));
        }
        List<DeploymentSummary> result = new ArrayList<>();
        for (JsonNode d : json) {
            List<String> teams = new ArrayList<>();
            d.path("teams").forEach(t -> teams.add(t.asText()));
            result.add(new DeploymentSummary(Json.text(d, "name"), versions(d.path("releases")),
                    versions(d.path("stemcells")), List.copyOf(teams)));
        }
        return List.copyOf(result);
    }

    private static List<NamedVersion> versions(JsonNode array) {
        List<NamedVersion> list = new ArrayList<>();
        array.forEach(n -> list.add(new NamedVersion(Json.text(n, "name"), Json.text(n, "version"))));
        return List.copyOf(list);
    }
}
