package dev.bbr.core.workflow;

import dev.bbr.artifacts.store.BackupDestination;
import java.io.IOException;

/** Creates the place one backup is written to, named after the deployment. */
@FunctionalInterface
public interface DestinationFactory {
    BackupDestination create(String deploymentName) throws IOException;
}
