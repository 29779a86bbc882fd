package dev.bbr.artifacts.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One artifact entry of the metadata: the job (or custom artifact) name and the SHA-256 of every
 * regular file inside its tar, keyed by the tar path ({@code ./dir/file}).
 *
 * <p>The map keeps the order it was given in; {@link MetadataWriter} sorts on output like yaml.v2 does,
 * so callers never have to care about ordering.
 */
public final class ArtifactChecksums {
    private final String name;
    private final Map<String, String> checksums;

    public ArtifactChecksums(String name, Map<String, String> checksums) {
        this.name = Objects.requireNonNull(name, "name");
        this.checksums = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(checksums, "checksums")));
    }

    public String name() {
        return name;
    }

    /** relative path ({@code ./…}) → lowercase hex SHA-256. */
    public Map<String, String> checksums() {
        return checksums;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactChecksums other && name.equals(other.name) && checksums.equals(other.checksums);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, checksums);
    }

    @Override
    public String toString() {
        return "ArtifactChecksums[" + name + ", " + checksums.size() + " files]";
    }
}
