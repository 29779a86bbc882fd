package dev.bbr.app;

import dev.bbr.artifacts.atrest.BackupInspector;
import dev.bbr.artifacts.atrest.BackupState;
import dev.bbr.artifacts.atrest.BackupSummary;
import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The newest complete backup of each deployment in a store: what {@code --all-deployments restore}
 * restores. Incomplete backups (marker, or no sidecar and no finish time) are never chosen.
 *
 * @param store    where the backups are
 * @param selected deployment → the name of its newest complete backup, in the order asked
 * @param missing  the deployments asked for that have none
 */
record NewestBackups(ArtifactStore store, Map<String, String> selected, List<String> missing) {

    static NewestBackups find(BbrApp app, String location, List<String> deployments) throws StoreException {
        StorageRegistry.Located located = app.storage().locate(location);
        if (located.isBackup()) {
            throw new StoreException(StoreException.Reason.NOT_A_DIRECTORY, location + " is one backup ("
                    + located.backup() + "); with --all-deployments give the directory that holds the backups");
        }
        Map<String, BackupSummary> newest = new LinkedHashMap<>();
        for (String name : app.artifacts().backupsIn(location)) {
            summarize(located.store(), name).filter(s -> s.state() != BackupState.INCOMPLETE).ifPresent(s ->
                    newest.merge(s.deployment(), s, (a, b) -> NEWEST_FIRST.compare(a, b) <= 0 ? a : b));
        }
        Map<String, String> selected = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String deployment : deployments) {
            BackupSummary found = newest.get(deployment);
            if (found == null) {
                missing.add(deployment);
            } else {
                selected.put(deployment, found.name());
            }
        }
        return new NewestBackups(located.store(), selected, missing);
    }

    /** Newest time first; the greater name wins a tie (two backups in one second cannot share a name). */
    private static final Comparator<BackupSummary> NEWEST_FIRST =
            Comparator.comparing(BackupSummary::time).thenComparing(BackupSummary::name).reversed();

    private static Optional<BackupSummary> summarize(ArtifactStore store, String name) {
        try {
            return Optional.of(BackupInspector.summarize(store.open(name)));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: not a candidate
        }
    }
}
