package dev.bbr.core.workflow;

import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.discovery.HostInfo;
import dev.bbr.core.discovery.ManifestInfo;
import dev.bbr.core.errors.BbrError;
import java.util.List;

/**
 * Access whose release happens once: the cleanup commands release it themselves (bbr counts those
 * failures as general), and the frame's {@code finally} must not release it again and report the
 * same failure a second time as a cleanup error.
 */
final class ReleaseOnceAccess implements DeploymentAccess {
    private final DeploymentAccess access;
    private boolean released;

    ReleaseOnceAccess(DeploymentAccess access) {
        this.access = access;
    }

    @Override
    public String name() {
        return access.name();
    }

    @Override
    public List<HostInfo> hosts() {
        return access.hosts();
    }

    @Override
    public ManifestInfo manifest() {
        return access.manifest();
    }

    @Override
    public boolean directorMode() {
        return access.directorMode();
    }

    @Override
    public String downloadManifest() throws DiscoveryException {
        return access.downloadManifest();
    }

    @Override
    public synchronized List<BbrError> cleanup() {
        if (released) {
            return List.of();
        }
        released = true;
        return access.cleanup();
    }
}
