package dev.bbr.director.http;

import java.util.Map;
import okhttp3.HttpUrl;

/**
 * One logical request before authentication is applied. Authorization is deliberately not a
 * field here so this object can be logged or put in an exception without leaking credentials.
 *
 * @param jsonBody request body sent as application/json, or null for bodiless requests
 * @param headers extra headers (e.g. Range); must not contain Authorization
 * @param idempotent whether a failed attempt may be replayed after the request may have been sent
 */
public record ApiRequest(String method, HttpUrl url, String jsonBody, Map<String, String> headers,
        boolean idempotent) {

    public ApiRequest {
        headers = Map.copyOf(headers);
        if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
            throw new IllegalArgumentException("Authorization is applied by the auth layer only");
        }
    }

    public static ApiRequest get(HttpUrl url) {
        return new ApiRequest("GET", url, null, Map.of(), true);
    }

    public static ApiRequest get(HttpUrl url, Map<String, String> headers) {
        return new ApiRequest("GET", url, null, headers, true);
    }

    public static ApiRequest postJson(HttpUrl url, String json) {
        return new ApiRequest("POST", url, json, Map.of(), false);
    }

    /** Same request against another URL, as GET without body: how redirects are followed. */
    public ApiRequest redirectTo(HttpUrl target) {
        return new ApiRequest("GET", target, null, Map.of(), true);
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}
