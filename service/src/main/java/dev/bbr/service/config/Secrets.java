package dev.bbr.service.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code <key>_env} (an environment variable's name) or {@code <key>_file} (a file holding the
 * secret, trailing newline dropped) and refuses {@code <key>} itself: secrets never live in the
 * config text, which is copied into tickets, repositories and logs.
 */
final class Secrets {
    private final Map<String, String> env;
    private final Path directory;

    Secrets(Map<String, String> env, Path directory) {
        this.env = env;
        this.directory = directory;
    }

    /** The keys a secret {@code key} may be given with. */
    static java.util.List<String> keys(String key) {
        return java.util.List.of(key, key + "_env", key + "_file");
    }

    Optional<Secret> read(ConfigNode node, String key, boolean required, String what) {
        if (node.has(key)) {
            node.problem(key, "secrets are never read from the config text; name an environment variable with "
                    + key + "_env or a file with " + key + "_file");
            return Optional.empty();
        }
        return readIndirect(node, key, required, what);
    }

    /** As {@link #read}, but {@code <key>} itself is allowed (a value that is secret only sometimes, a URL). */
    Optional<Secret> readAllowingPlain(ConfigNode node, String key, boolean required, String what) {
        if (node.has(key)) {
            if (node.has(key + "_env") || node.has(key + "_file")) {
                node.problem(key, "give one of " + key + ", " + key + "_env, " + key + "_file");
                return Optional.empty();
            }
            return node.string(key).map(v -> new Secret(v, "config " + node.at(key)));
        }
        return readIndirect(node, key, required, what);
    }

    private Optional<Secret> readIndirect(ConfigNode node, String key, boolean required, String what) {
        Optional<String> variable = node.string(key + "_env");
        Optional<String> file = node.string(key + "_file");
        if (variable.isPresent() && file.isPresent()) {
            node.problem(key + "_env", "give " + key + "_env or " + key + "_file, not both");
            return Optional.empty();
        }
        if (variable.isPresent()) {
            String value = env.get(variable.get());
            if (value == null || value.isEmpty()) {
                node.problem(key + "_env", "environment variable " + variable.get() + " is not set");
                return Optional.empty();
            }
            return Optional.of(new Secret(value, "env " + variable.get()));
        }
        if (file.isPresent()) {
            Path path = directory.resolve(file.get());
            try {
                String value = Files.readString(path, StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    node.problem(key + "_file", path + " is empty");
                    return Optional.empty();
                }
                return Optional.of(new Secret(value, "file " + path));
            } catch (IOException e) {
                node.problem(key + "_file", "cannot read " + path + ": " + e.getClass().getSimpleName());
                return Optional.empty();
            }
        }
        if (required && !node.has(key + "_env") && !node.has(key + "_file")) {
            node.problem(key + "_env", "missing: " + what + " (" + key + "_env or " + key + "_file)");
        }
        return Optional.empty();
    }
}
