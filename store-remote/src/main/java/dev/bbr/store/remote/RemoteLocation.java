package dev.bbr.store.remote;

import dev.bbr.artifacts.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A location {@code scheme://container/prefix} (S3 bucket, Azure container), with the prefix normalised:
 * no leading or trailing slash, no empty segments. {@link #toString()} is the canonical form used in
 * every message.
 */
public record RemoteLocation(String scheme, String container, String prefix) {

    public RemoteLocation {
        if (prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be normalised: " + prefix);
        }
    }

    /** Parses {@code scheme://container[/prefix]}; a query or fragment is refused. */
    public static RemoteLocation parse(String scheme, String location) throws StoreException {
        String head = scheme + "://";
        if (!location.regionMatches(true, 0, head, 0, head.length())) {
            throw invalid(location, "expected " + head + "CONTAINER/PREFIX");
        }
        String rest = location.substring(head.length());
        if (rest.contains("?") || rest.contains("#")) {
            throw invalid(location, "a query or fragment is not allowed");
        }
        int slash = rest.indexOf('/');
        String container = slash < 0 ? rest : rest.substring(0, slash);
        if (container.isEmpty()) {
            throw invalid(location, "the " + (scheme.equals("s3") ? "bucket" : "container") + " name is missing");
        }
        String prefix = normalise(slash < 0 ? "" : rest.substring(slash + 1));
        return new RemoteLocation(scheme.toLowerCase(Locale.ROOT), container, prefix);
    }

    /** Joins non-empty '/'-separated segments; refuses {@code .} and {@code ..}. */
    public static String normalise(String path) throws StoreException {
        List<String> parts = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "invalid path " + path
                        + ": '.' and '..' are not allowed");
            }
            parts.add(segment);
        }
        return String.join("/", parts);
    }

    /** The full object key of {@code key} relative to the prefix. */
    public String keyOf(String key) {
        if (prefix.isEmpty()) {
            return key;
        }
        return key.isEmpty() ? prefix + "/" : prefix + "/" + key;
    }

    /** The key relative to the prefix of a full object key below it. */
    public String relative(String fullKey) {
        return prefix.isEmpty() ? fullKey : fullKey.substring(prefix.length() + 1);
    }

    /** The location of {@code key} (relative to the prefix) as the operator names it. */
    public String describe(String key) {
        String base = toString();
        if (key.isEmpty()) {
            return base;
        }
        return base + "/" + (key.endsWith("/") ? key.substring(0, key.length() - 1) : key);
    }

    /** This location's parent prefix and last segment; empty last segment at the container root. */
    public RemoteLocation parent() {
        int i = prefix.lastIndexOf('/');
        return new RemoteLocation(scheme, container, i < 0 ? "" : prefix.substring(0, i));
    }

    public String lastSegment() {
        int i = prefix.lastIndexOf('/');
        return i < 0 ? prefix : prefix.substring(i + 1);
    }

    public RemoteLocation withPrefix(String newPrefix) {
        return new RemoteLocation(scheme, container, newPrefix);
    }

    @Override
    public String toString() {
        return scheme + "://" + container + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    private static StoreException invalid(String location, String why) {
        return new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, "invalid location " + location + ": "
                + why);
    }
}
