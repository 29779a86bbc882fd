package dev.bbr.director.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --debug} HTTP trace. Callers only ever pass method, URL, status, timings and header
 * names; as a second line of defence every line is also scrubbed of the secrets registered here
 * (password, client secret, issued tokens), so a future careless log call still cannot leak them.
 */
public final class DebugLog {
    private static final String REDACTED = "[REDACTED]";

    private final Consumer<String> sink;
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    private DebugLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Logs nothing. */
    public static DebugLog disabled() {
        return new DebugLog(null);
    }

    /** Logs to the given sink (tests, or a CLI that owns its own debug stream). */
    public static DebugLog to(Consumer<String> sink) {
        return new DebugLog(sink);
    }

    /** Logs at DEBUG to the SLF4J logger {@code httpClient} (bbr's logger tag). */
    public static DebugLog slf4j() {
        Logger logger = LoggerFactory.getLogger("httpClient");
        return new DebugLog(logger::debug);
    }

    public boolean enabled() {
        return sink != null;
    }

    /** Registers a value that must never appear in a log line; short values are ignored. */
    public void registerSecret(String secret) {
        // Very short strings (e.g. "a") would redact random words and prove nothing.
        if (secret != null && secret.length() >= 4) {
            secrets.add(secret);
        }
    }

    public void log(String message) {
        if (sink == null) {
            return;
        }
        sink.accept(scrub(message));
    }

    /** Removes registered secrets from a string; also used on exception texts we build. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, REDACTED);
        }
        return result;
    }
}
