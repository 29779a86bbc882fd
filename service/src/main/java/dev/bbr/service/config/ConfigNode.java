package dev.bbr.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of the config with its path ({@code jobs[1].notifications}), reading keys and
 * recording every problem as one line naming where it is, so that a bad config is reported whole
 * rather than one mistake per attempt. Readers return a fallback after recording a problem, so the
 * rest of the file is still checked.
 */
final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final List<String> problems;

    ConfigNode(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    /** Where a key is: {@code http.listen}, or {@code listen} at the top. */
    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        problems.add(at(key) + ": " + message);
    }

    /** Unknown keys are mistakes (a misspelt {@code schedul} must not silently mean "no schedule"). */
    void allowOnly(Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(at(name) + ": unknown key" + closest(name, known).map(k -> " (did you mean " + k + "?)")
                        .orElse("; known keys here: " + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    Optional<ConfigNode> child(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            problem(key, "expected a mapping of keys");
            return Optional.empty();
        }
        return Optional.of(new ConfigNode(value, at(key), problems));
    }

    Optional<String> string(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode value = node.get(key);
        if (!value.isValueNode()) {
            problem(key, "expected a single value");
            return Optional.empty();
        }
        String text = value.asText().trim();
        if (text.isEmpty()) {
            problem(key, "is empty");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    String requiredString(String key, String what) {
        Optional<String> value = string(key);
        if (value.isEmpty() && !has(key)) {
            problem(key, "missing: " + what);
        }
        return value.orElse("");
    }

    int integer(String key, int fallback, int min) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = node.get(key);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            problem(key, "expected a whole number, got " + value);
            return fallback;
        }
        if (value.intValue() < min) {
            problem(key, "must be " + min + " or more, got " + value.intValue());
            return fallback;
        }
        return value.intValue();
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = node.get(key);
        if (!value.isBoolean()) {
            problem(key, "expected true or false, got " + value);
            return fallback;
        }
        return value.booleanValue();
    }

    /** A list of values; a single value counts as a list of one. */
    List<String> strings(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode value = node.get(key);
        List<String> out = new ArrayList<>();
        if (value.isValueNode()) {
            out.add(value.asText().trim());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isValueNode()) {
                    problem(key, "expected a list of values");
                    return List.of();
                }
                out.add(item.asText().trim());
            }
        } else {
            problem(key, "expected a value or a list of values");
        }
        return out;
    }

    /** A parsed value: {@code parse} throws IllegalArgumentException with what is wrong. */
    <T> Optional<T> parsed(String key, Function<String, T> parse) {
        return string(key).flatMap(raw -> {
            try {
                return Optional.of(parse.apply(raw));
            } catch (IllegalArgumentException e) {
                problem(key, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** The mappings of a list, each with its own path ({@code jobs[0]}). */
    List<ConfigNode> list(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode value = node.get(key);
        if (!value.isArray()) {
            problem(key, "expected a list");
            return List.of();
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = at(key) + "[" + i + "]";
            if (!item.isObject()) {
                problems.add(itemPath + ": expected a mapping of keys");
                continue;
            }
            out.add(new ConfigNode(item, itemPath, problems));
        }
        return out;
    }

    JsonNode raw(String key) {
        return node.get(key);
    }

    private static Optional<String> closest(String name, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= 2 ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance, for "did you mean". */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
