package dev.bbr.core.discovery;

import dev.bbr.core.log.Log;

/** Opens {@link DeploymentAccess}: lists instances, sets up SSH and connects to each one. */
@FunctionalInterface
public interface DeploymentAccessFactory {
    DeploymentAccess open(Log log) throws DiscoveryException;
}
