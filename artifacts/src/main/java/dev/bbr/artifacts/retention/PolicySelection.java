package dev.bbr.artifacts.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * restic's {@code forget} algorithm over one deployment's complete backups, newest first: walking from
 * the newest, a backup is kept by a period rule when it is the first seen in its period and the rule
 * still has a count left (so only periods that hold a backup count). When the walk reaches the oldest
 * backup with a count still left, that backup is kept too, even if its period already has a kept
 * backup: the history then reaches back as far as it can. Rules are independent and unioned.
 */
final class PolicySelection {
    private PolicySelection() {
    }

    /**
     * @param newestFirst complete backups of one deployment, sorted newest first with ties already broken
     * @param now only to ignore backups dated in the future when finding the newest for keep-within (clock skew)
     * @return the keep reasons of each kept backup; backups not in the map are not selected
     */
    static Map<BackupRef, List<String>> select(List<BackupRef> newestFirst, RetentionPolicy policy, ZoneId zone, Instant now) {
        Map<BackupRef, List<String>> kept = new LinkedHashMap<>();
        if (newestFirst.isEmpty()) {
            return kept;
        }
        keepWithin(newestFirst, policy, zone, now, kept);
        keepLast(newestFirst, policy.last(), kept);
        for (Period period : Period.values()) {
            keepPerPeriod(newestFirst, period, period.count(policy), zone, kept);
        }
        return kept;
    }

    /** restic measures from the newest backup that is not in the future; with none such, from now. */
    private static void keepWithin(List<BackupRef> newestFirst, RetentionPolicy policy, ZoneId zone, Instant now,
            Map<BackupRef, List<String>> kept) {
        if (policy.within().isZero()) {
            return;
        }
        Instant reference = newestFirst.stream().map(BackupRef::time).filter(t -> !t.isAfter(now)).findFirst().orElse(now);
        Instant threshold = policy.within().before(reference, zone);
        for (BackupRef backup : newestFirst) {
            if (backup.time().isAfter(threshold)) {
                reason(kept, backup, "keep: within " + policy.within() + " of the newest complete backup");
            }
        }
    }

    private static void keepLast(List<BackupRef> newestFirst, int count, Map<BackupRef, List<String>> kept) {
        if (count == 0) {
            return;
        }
        int n = count == RetentionPolicy.UNLIMITED ? newestFirst.size() : Math.min(count, newestFirst.size());
        String words = count == RetentionPolicy.UNLIMITED ? "keep: last (all)" : "keep: last " + count;
        for (BackupRef backup : newestFirst.subList(0, n)) {
            reason(kept, backup, words);
        }
    }

    private static void keepPerPeriod(List<BackupRef> newestFirst, Period period, int count, ZoneId zone,
            Map<BackupRef, List<String>> kept) {
        int left = count;
        String lastLabel = null;
        for (int i = 0; i < newestFirst.size() && left != 0; i++) {
            BackupRef backup = newestFirst.get(i);
            String label = period.label(backup.time().atZone(zone));
            boolean oldest = i == newestFirst.size() - 1;
            if (label.equals(lastLabel) && !oldest) {
                continue;
            }
            if (label.equals(lastLabel)) {
                String why = count == RetentionPolicy.UNLIMITED ? "oldest backup"
                        : "oldest backup; fewer than " + count + " " + period.plural + " have backups";
                reason(kept, backup, "keep: " + period.adjective + " " + label + " (" + why + ")");
            } else {
                reason(kept, backup, "keep: " + period.adjective + " " + label);
            }
            lastLabel = label;
            if (left > 0) {
                left--;
            }
        }
    }

    private static void reason(Map<BackupRef, List<String>> kept, BackupRef backup, String reason) {
        kept.computeIfAbsent(backup, b -> new ArrayList<>()).add(reason);
    }
}
