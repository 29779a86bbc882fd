package dev.bbr.artifacts.retention;

import java.util.List;
import java.util.NoSuchElementException;

/** The decisions for every backup given, grouped by deployment (alphabetical), newest first within one. */
public record RetentionPlan(List<RetentionDecision> decisions) {
    public RetentionPlan {
        decisions = List.copyOf(decisions);
    }

    public List<BackupRef> toDelete() {
        return decisions.stream().filter(RetentionDecision::delete).map(RetentionDecision::backup).toList();
    }

    public List<BackupRef> toKeep() {
        return decisions.stream().filter(RetentionDecision::keep).map(RetentionDecision::backup).toList();
    }

    public RetentionDecision decisionFor(BackupRef backup) {
        return decisions.stream().filter(d -> d.backup().equals(backup)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no decision for " + backup.label()));
    }
}
