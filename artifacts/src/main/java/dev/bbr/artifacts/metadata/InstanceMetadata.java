package dev.bbr.artifacts.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One {@code instances[]} entry: instance group name, VM index (kept as a string because bbr writes it
 * as a quoted string and its readers compare it textually) and the artifacts drained from it.
 */
public final class InstanceMetadata {
    private final String name;
    private final String index;
    private final List<ArtifactChecksums> artifacts;

    public InstanceMetadata(String name, String index, List<ArtifactChecksums> artifacts) {
        this.name = Objects.requireNonNull(name, "name");
        this.index = Objects.requireNonNull(index, "index");
        this.artifacts = List.copyOf(artifacts);
    }

    public String name() {
        return name;
    }

    public String index() {
        return index;
    }

    public List<ArtifactChecksums> artifacts() {
        return artifacts;
    }

    InstanceMetadata withArtifact(ArtifactChecksums artifact) {
        List<ArtifactChecksums> copy = new ArrayList<>(artifacts);
        copy.add(artifact);
        return new InstanceMetadata(name, index, copy);
    }

    boolean is(String otherName, String otherIndex) {
        return name.equals(otherName) && index.equals(otherIndex);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceMetadata other
                && name.equals(other.name) && index.equals(other.index) && artifacts.equals(other.artifacts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, index, artifacts);
    }

    @Override
    public String toString() {
        return "InstanceMetadata[" + name + "/" + index + ", " + artifacts + "]";
    }
}
