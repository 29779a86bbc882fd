package dev.bbr.lab.director;

import java.util.List;

/** A deployment as the Director knows it: its manifest text, releases and instances. */
public record DirectorDeployment(String name, String manifest, List<String> releases, List<DirectorInstance> instances) {
}
