package dev.bbr.app;

import dev.bbr.core.log.Log;
import java.io.OutputStream;

/**
 * How {@code --all-deployments} logs each deployment: bbr gives each its own log file; the caller
 * decides how events are rendered into it (bbr's text, or JSON lines).
 */
@FunctionalInterface
public interface DeploymentLogs {
    Log open(String deployment, OutputStream file);
}
