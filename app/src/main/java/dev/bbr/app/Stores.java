package dev.bbr.app;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.store.azure.AzureOptions;
import dev.bbr.store.azure.AzureStores;
import dev.bbr.store.s3.S3Options;
import dev.bbr.store.s3.S3Stores;
import dev.bbr.store.sftp.SftpOptions;
import dev.bbr.store.sftp.SftpStores;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every kind of store by location: {@code s3://}, {@code azure://}, {@code sftp://} and local paths.
 * Settings come from the process environment (the standard AWS and Azure variables, {@code BBR_STORE_*};
 * docs/stores.md). A malformed setting fails only a run that uses that kind of store, with its message.
 */
final class Stores {
    private Stores() {}

    /**
     * @param layout where new backups go under a remote root (local paths are always flat, as Go bbr)
     * @param clock  names new backups ({@code <deployment>_<UTC time>})
     */
    static StorageRegistry registry(Environment environment, Layout layout, Clock clock) {
        Map<String, String> env = environment.variables();
        return new StorageRegistry()
                .register(lazily(S3Stores.SCHEME, () -> S3Stores.adapter(env, clock, layout, S3Options.fromEnv(env))))
                .register(lazily(AzureStores.SCHEME,
                        () -> AzureStores.adapter(env, clock, layout, AzureOptions.fromEnv(env))))
                .register(lazily(SftpStores.SCHEME,
                        () -> SftpStores.adapter(env, clock, layout, SftpOptions.fromEnv(env))))
                .register(LocalArtifactStore.adapter(environment.workingDirectory(), clock));
    }

    /** The adapter of {@code scheme}, built on first use: its settings are read only when it is needed. */
    private static StorageRegistry.Adapter lazily(String scheme, Supplier<StorageRegistry.Adapter> build) {
        return new StorageRegistry.Adapter() {
            private StorageRegistry.Adapter adapter;

            @Override
            public boolean accepts(String location) {
                return location.regionMatches(true, 0, scheme + "://", 0, scheme.length() + 3);
            }

            @Override
            public ArtifactStore store(String location) throws StoreException {
                return adapter().store(location);
            }

            @Override
            public BackupSource openBackup(String location) throws StoreException {
                return adapter().openBackup(location);
            }

            @Override
            public StorageRegistry.Located locate(String location) throws StoreException {
                return adapter().locate(location);
            }

            private synchronized StorageRegistry.Adapter adapter() throws StoreException {
                if (adapter == null) {
                    try {
                        adapter = build.get();
                    } catch (IllegalArgumentException e) {
                        throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, e.getMessage(), e);
                    }
                }
                return adapter;
            }
        };
    }
}
