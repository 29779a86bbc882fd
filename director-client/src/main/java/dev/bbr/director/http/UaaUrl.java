package dev.bbr.director.http;

import dev.bbr.director.DirectorConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import okhttp3.HttpUrl;

/**
 * The UAA base from /info {@code user_authentication.options.url}, normalised as bosh-cli does:
 * scheme forced to https, port defaulting to 443, path kept ({@code https://h/uaa} →
 * {@code https://h:443/uaa/oauth/token}).
 */
public final class UaaUrl {
    private static final String PREFIX = "invalid UAA URL: ";

    private UaaUrl() {}

    /** The token endpoint for the given UAA URL. */
    public static HttpUrl tokenEndpoint(String value) {
        if (value == null || value.isEmpty()) {
            throw new DirectorConfigException(PREFIX + "Expected non-empty UAA URL");
        }
        String withScheme = value.contains("://") ? value : "https://" + value;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new DirectorConfigException(
                    PREFIX + "Parsing UAA URL '" + value + "': " + e.getReason());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new DirectorConfigException(
                    PREFIX + "Expected to extract host from URL '" + value + "'");
        }
        int port = uri.getPort() == -1 ? 443 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        HttpUrl base = new HttpUrl.Builder().scheme("https").host(unbracket(host)).port(port)
                .build();
        HttpUrl url = HttpUrl.parse(base.toString().replaceAll("/$", "") + path + "/oauth/token");
        if (url == null) {
            throw new DirectorConfigException(PREFIX + "Parsing UAA URL '" + value + "'");
        }
        return url;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
