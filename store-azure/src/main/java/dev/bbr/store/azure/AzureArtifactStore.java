package dev.bbr.store.azure;

import dev.bbr.artifacts.store.Layout;
import dev.bbr.store.remote.RemoteArtifactStore;
import java.time.Clock;

/** Backups in an Azure Blob container under a prefix ({@code azure://CONTAINER/PREFIX}). */
public final class AzureArtifactStore extends RemoteArtifactStore {
    AzureArtifactStore(AzureBackend backend, Layout layout, Clock clock) {
        super(backend, layout, clock, backend.transfer());
    }
}
