package dev.bbr.core.discovery;

import dev.bbr.core.errors.BbrError;
import java.util.List;

/**
 * A live connection to everything one run works on: the instances (each with one open shell) and
 * the manifest facts. Deployment mode gets it through the Director API; director mode by SSH to
 * one host. {@link #close()} removes what access created (temporary SSH users) and closes shells.
 */
public interface DeploymentAccess extends AutoCloseable {

    /** Deployment name; in director mode the host without scheme and port. */
    String name();

    List<HostInfo> hosts();

    ManifestInfo manifest();

    /** Director mode orders locks by job name only and has no temporary users. */
    boolean directorMode();

    /** The raw manifest for {@code --with-manifest}, fetched again as bbr does. */
    String downloadManifest() throws DiscoveryException;

    /** Removes temporary users and closes connections; returns what failed, as cleanup errors. */
    List<BbrError> cleanup();

    @Override
    default void close() {
        cleanup();
    }
}
