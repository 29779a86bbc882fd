package dev.bbr.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds an event's JSON fields in the order given (null values are left out). */
final class Fields {
    private Fields() {}

    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return Collections.unmodifiableMap(fields);
    }
}
