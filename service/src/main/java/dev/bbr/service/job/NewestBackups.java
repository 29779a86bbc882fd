package dev.bbr.service.job;

import dev.bbr.artifacts.atrest.BackupState;
import dev.bbr.artifacts.atrest.BackupSummary;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The newest complete backup of each deployment in a listing (what verify and drill work on). */
final class NewestBackups {
    private NewestBackups() {}

    static Map<String, BackupSummary> byDeployment(List<BackupSummary> backups) {
        Map<String, BackupSummary> newest = new TreeMap<>();
        backups.stream().filter(b -> b.state() != BackupState.INCOMPLETE)
                .sorted(Comparator.comparing(BackupSummary::time))
                .forEach(b -> newest.put(b.deployment(), b));
        return newest;
    }

    static Optional<BackupSummary> of(List<BackupSummary> backups, String deployment) {
        return Optional.ofNullable(byDeployment(backups).get(deployment));
    }
}
