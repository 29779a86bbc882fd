package dev.bbr.core.order;

import dev.bbr.core.model.InstanceJob;
import dev.bbr.core.model.JobRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Orders jobs into lock levels with Kahn's algorithm, as bbr does.
 *
 * <p>A constraint on job A naming (job N, release R) means A is locked before every job in the
 * deployment with that name and release, on every instance. Constraints naming jobs that do not
 * exist are ignored. Each round takes every remaining job that no remaining edge points at,
 * keeping input order inside the level.
 */
public final class LockOrderer {
    private final Function<InstanceJob, List<JobRef>> constraints;
    private final boolean matchReleases;

    private LockOrderer(Function<InstanceJob, List<JobRef>> constraints, boolean matchReleases) {
        this.constraints = constraints;
        this.matchReleases = matchReleases;
    }

    public static LockOrderer forBackup() {
        return new LockOrderer(j -> j.job().metadata().backupShouldBeLockedBefore(), true);
    }

    public static LockOrderer forRestore() {
        return new LockOrderer(j -> j.job().metadata().restoreShouldBeLockedBefore(), true);
    }

    /** Director mode has no releases: constraints match by job name only. */
    public LockOrderer matchingJobNamesOnly() {
        return new LockOrderer(constraints, false);
    }

    public LockOrder order(List<InstanceJob> jobs) throws CyclicLockGraphException {
        List<int[]> edges = new ArrayList<>();
        for (int before = 0; before < jobs.size(); before++) {
            for (JobRef ref : constraints.apply(jobs.get(before))) {
                for (int after = 0; after < jobs.size(); after++) {
                    if (matches(ref, jobs.get(after))) {
                        edges.add(new int[] {before, after});
                    }
                }
            }
        }
        Set<Integer> remaining = new LinkedHashSet<>();
        for (int i = 0; i < jobs.size(); i++) {
            remaining.add(i);
        }
        List<List<InstanceJob>> levels = new ArrayList<>();
        while (!remaining.isEmpty()) {
            List<Integer> level = new ArrayList<>();
            for (int candidate : remaining) {
                boolean blocked = edges.stream().anyMatch(e -> e[1] == candidate);
                if (!blocked) {
                    level.add(candidate);
                }
            }
            if (level.isEmpty()) {
                throw new CyclicLockGraphException();
            }
            remaining.removeAll(level);
            edges.removeIf(e -> level.contains(e[0]));
            levels.add(level.stream().map(jobs::get).toList());
        }
        return new LockOrder(levels);
    }

    private boolean matches(JobRef ref, InstanceJob candidate) {
        return ref.jobName().equals(candidate.job().name())
                && (!matchReleases || ref.release().equals(candidate.job().release()));
    }
}
