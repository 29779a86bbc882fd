package dev.bbr.lab;

import java.time.Instant;

/**
 * One request the Director simulator (or its UAA) received. authKind is none|basic|bearer (what
 * the client sent, valid or not); query is null when the URL had none.
 */
public record LabRequest(String method, String path, String query, String authKind, int status,
                         long millis, Instant at, String listener) {

    /** "GET /deployments/x/vms?format=full" - handy in assertions and failure messages. */
    public String line() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}
