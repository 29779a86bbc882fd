package dev.bbr.director;

import java.util.List;

/** One element of {@code GET /deployments}; bbr only needs the name for --all-deployments. */
public record DeploymentSummary(String name, List<NamedVersion> releases,
        List<NamedVersion> stemcells, List<String> teams) {

    /** A release or stemcell reference. */
    public record NamedVersion(String name, String version) {}
}
