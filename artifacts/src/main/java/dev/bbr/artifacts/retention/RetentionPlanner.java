package dev.bbr.artifacts.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which backups to keep, per deployment, as a pure function of the backups, the policy and
 * {@code now} (no clock is read here). On top of restic's rules ({@link PolicySelection}), which see
 * only complete backups:
 * <ul>
 *   <li>the newest complete backup of a deployment is always kept, whatever the policy says;</li>
 *   <li>an incomplete backup never counts toward a quota; it is kept while younger than the grace
 *       period (it may still be running) and deleted once older.</li>
 * </ul>
 * Ties in time are broken by name (the greater name counts as newer), so the outcome does not depend
 * on the order of the input.
 */
public final class RetentionPlanner {
    static final Comparator<BackupRef> NEWEST_FIRST =
            Comparator.comparing(BackupRef::time).thenComparing(BackupRef::name).reversed();

    private final RetentionPolicy policy;
    private final ZoneId zone;
    private final Duration incompleteGrace;

    /**
     * @param zone where days, weeks, months and years begin
     * @param incompleteGrace how long an incomplete backup is left alone
     */
    public RetentionPlanner(RetentionPolicy policy, ZoneId zone, Duration incompleteGrace) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.incompleteGrace = Objects.requireNonNull(incompleteGrace, "incompleteGrace");
        if (incompleteGrace.isNegative()) {
            throw new IllegalArgumentException("the grace period for incomplete backups cannot be negative: " + incompleteGrace);
        }
    }

    /** How long an incomplete backup (or an unfinished upload) is left alone. */
    public Duration incompleteGrace() {
        return incompleteGrace;
    }

    public RetentionPlan plan(Collection<BackupRef> backups, Instant now) {
        Objects.requireNonNull(now, "now");
        rejectDuplicates(backups);
        Map<String, List<BackupRef>> byDeployment = new TreeMap<>();
        for (BackupRef backup : backups) {
            byDeployment.computeIfAbsent(backup.deployment(), d -> new ArrayList<>()).add(backup);
        }
        List<RetentionDecision> decisions = new ArrayList<>();
        for (List<BackupRef> deployment : byDeployment.values()) {
            decisions.addAll(planDeployment(deployment, now));
        }
        return new RetentionPlan(decisions);
    }

    private List<RetentionDecision> planDeployment(List<BackupRef> backups, Instant now) {
        List<BackupRef> newestFirst = backups.stream().sorted(NEWEST_FIRST).toList();
        List<BackupRef> complete = newestFirst.stream().filter(BackupRef::complete).toList();
        Map<BackupRef, List<String>> selected = PolicySelection.select(complete, policy, zone, now);
        BackupRef newestComplete = complete.isEmpty() ? null : complete.get(0);

        List<RetentionDecision> decisions = new ArrayList<>();
        for (BackupRef backup : newestFirst) {
            if (!backup.complete()) {
                decisions.add(incomplete(backup, now));
                continue;
            }
            List<String> reasons = new ArrayList<>();
            if (backup.equals(newestComplete)) {
                reasons.add("keep: newest complete backup");
            }
            reasons.addAll(selected.getOrDefault(backup, List.of()));
            if (reasons.isEmpty()) {
                decisions.add(new RetentionDecision(backup, false, List.of("delete: not selected by any policy")));
            } else {
                decisions.add(new RetentionDecision(backup, true, reasons));
            }
        }
        return decisions;
    }

    private RetentionDecision incomplete(BackupRef backup, Instant now) {
        String grace = Durations.words(incompleteGrace);
        if (Duration.between(backup.time(), now).compareTo(incompleteGrace) > 0) {
            return new RetentionDecision(backup, false, List.of("delete: incomplete, older than " + grace + " grace"));
        }
        return new RetentionDecision(backup, true, List.of("keep: incomplete, within " + grace + " grace (may still be running)"));
    }

    private static void rejectDuplicates(Collection<BackupRef> backups) {
        Set<String> seen = new HashSet<>();
        for (BackupRef backup : backups) {
            if (!seen.add(backup.deployment() + "\0" + backup.name())) {
                throw new IllegalArgumentException("backup " + backup.label() + " is listed twice");
            }
        }
    }
}
