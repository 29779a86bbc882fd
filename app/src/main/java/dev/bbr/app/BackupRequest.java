package dev.bbr.app;

import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.core.workflow.BackupOptions;

/**
 * {@code backup}: what the operator asked.
 *
 * @param artifactLocation where backups are written ({@code --artifact-path}; empty: the working directory)
 * @param withManifest     also write {@code manifest.yml} (it holds credentials)
 * @param unsafeLockFree   skip the lock and unlock scripts
 * @param maxInFlight      scripts and transfers at once
 * @param codec            how artifacts are stored (plain, as the Go bbr writes them, unless asked)
 * @param layout           where the backup goes under the location
 * @param minFreeSpace     bytes the drain must leave free ({@code --min-free-space}; -1: no check)
 */
public record BackupRequest(Target target, String artifactLocation, boolean withManifest, boolean unsafeLockFree,
        int maxInFlight, ArtifactCodec codec, Layout layout, long minFreeSpace) {

    public BackupRequest(Target target, String artifactLocation, boolean withManifest, boolean unsafeLockFree,
            int maxInFlight, ArtifactCodec codec, Layout layout) {
        this(target, artifactLocation, withManifest, unsafeLockFree, maxInFlight, codec, layout,
                BackupOptions.DEFAULT_MIN_FREE_SPACE);
    }

    /** A plain backup in bbr's flat layout. */
    public BackupRequest(Target target, String artifactLocation, boolean withManifest, boolean unsafeLockFree,
            int maxInFlight) {
        this(target, artifactLocation, withManifest, unsafeLockFree, maxInFlight, ArtifactCodec.PLAIN, Layout.FLAT);
    }
}
