package dev.bbr.store.remote;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@link StorageRegistry.Adapter} shared by the remote stores: a location is a store of backups, or
 * one backup when its last segment is a backup's name ({@code <deployment>_<YYYYMMDDTHHMMSSZ>}); a
 * backup under {@code <root>/<deployment>/YYYY/MM/DD/} is opened in its dated store.
 */
public final class RemoteStores {

    /** Makes the store rooted at a location, with a layout. */
    @FunctionalInterface
    public interface StoreFactory {
        RemoteArtifactStore open(String location, Layout layout) throws StoreException;
    }

    /** How a location names its root and parent, per adapter (S3/Azure: container + prefix; SFTP: path). */
    public interface Paths {
        /** The location without its last segment, or empty when there is no parent. */
        Optional<String> parent(String location);

        /** The last segment of the location's path. */
        String lastSegment(String location);
    }

    private RemoteStores() {
    }

    /** The adapter for {@code scheme://…} locations. */
    public static StorageRegistry.Adapter adapter(String scheme, Layout layout, Paths paths, StoreFactory factory) {
        String head = scheme.toLowerCase(Locale.ROOT) + "://";
        return new StorageRegistry.Adapter() {
            @Override
            public boolean accepts(String location) {
                return location.regionMatches(true, 0, head, 0, head.length());
            }

            @Override
            public ArtifactStore store(String location) throws StoreException {
                return factory.open(location, layout);
            }

            @Override
            public BackupSource openBackup(String location) throws StoreException {
                Optional<StorageRegistry.Located> backup = asBackup(location);
                if (backup.isEmpty()) {
                    throw new StoreException(StoreException.Reason.NOT_FOUND, "Could not open backup: " + location
                            + " does not name a backup (its last part should be <deployment>_<YYYYMMDDTHHMMSSZ>)");
                }
                return backup.get().store().open(backup.get().backup());
            }

            @Override
            public StorageRegistry.Located locate(String location) throws StoreException {
                Optional<StorageRegistry.Located> backup = asBackup(location);
                if (backup.isPresent()) {
                    RemoteArtifactStore store = (RemoteArtifactStore) backup.get().store();
                    if (store.find(backup.get().backup()).isPresent()) {
                        return backup.get();
                    }
                }
                RemoteArtifactStore store = factory.open(location, layout);
                store.backend().probe();
                return new StorageRegistry.Located(store, null);
            }

            /** The backup a location names: its store (flat parent, or the dated root) and its name. */
            private Optional<StorageRegistry.Located> asBackup(String location) throws StoreException {
                String name = paths.lastSegment(location);
                Optional<Instant> time = BbrLayout.timeOf(name);
                Optional<String> deployment = BbrLayout.deploymentOf(name);
                Optional<String> parent = paths.parent(location);
                if (time.isEmpty() || deployment.isEmpty() || parent.isEmpty()) {
                    return Optional.empty();
                }
                // .../<deployment>/YYYY/MM/DD/<name>: the dated store is five levels up
                String[] dated = Layout.DATED.pathOf(deployment.get(), time.get()).split("/");
                Optional<String> up = parent;
                boolean matches = true;
                for (int i = dated.length - 2; i >= 0 && matches; i--) {
                    matches = up.isPresent() && paths.lastSegment(up.get()).equals(dated[i]);
                    up = matches ? paths.parent(up.get()) : Optional.empty();
                }
                if (matches && up.isPresent()) {
                    return Optional.of(new StorageRegistry.Located(factory.open(up.get(), Layout.DATED), name));
                }
                return Optional.of(new StorageRegistry.Located(factory.open(parent.get(), Layout.FLAT), name));
            }
        };
    }

    /** {@link Paths} for {@code scheme://container/prefix} locations: the container itself has no parent. */
    public static Paths containerPaths(String scheme) {
        return new Paths() {
            @Override
            public Optional<String> parent(String location) {
                try {
                    RemoteLocation l = RemoteLocation.parse(scheme, location);
                    return l.prefix().isEmpty() ? Optional.empty() : Optional.of(l.parent().toString());
                } catch (StoreException e) {
                    return Optional.empty();
                }
            }

            @Override
            public String lastSegment(String location) {
                try {
                    return RemoteLocation.parse(scheme, location).lastSegment();
                } catch (StoreException e) {
                    return "";
                }
            }
        };
    }
}
