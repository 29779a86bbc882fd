package dev.bbr.app;

import dev.bbr.core.exec.Workers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the process gives the application: its environment variables ({@code BOSH_ALL_PROXY},
 * {@code NO_PROXY}, later the stores' credentials), the directory relative paths are relative to,
 * the known_hosts file for hosts the Director does not vouch for, whether {@code --debug} is on, the
 * thread policy, the clock and the bbr version (passed to metadata scripts).
 */
public record Environment(Map<String, String> variables, Path workingDirectory, Path knownHosts, boolean debug,
        Workers workers, Clock clock, String bbrVersion) {

    public Environment {
        variables = Map.copyOf(variables);
    }
}
