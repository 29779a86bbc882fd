package dev.bbr.service.lease;

import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides which of several services on one destination runs a job's occurrence: the first to take
 * the store's run lock {@code service-<job>} (a conditional create, so exactly one wins) runs it;
 * the others skip. The lock is refreshed while held and goes stale {@code ttl} after its holder
 * died, so a dead service loses its lease (on the same host at once: its pid is gone).
 */
public final class JobLease {
    static final String PREFIX = "service-";

    private final StorageRegistry storage;
    private final String destination;
    private final Duration ttl;
    private final Clock clock;

    public JobLease(StorageRegistry storage, String destination, Duration ttl, Clock clock) {
        this.storage = storage;
        this.destination = destination;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The lock's name in the store for a job (the store keeps it beside the backups' run locks). */
    public static String lockName(String job) {
        return PREFIX + job;
    }

    /**
     * Takes the lease of {@code job} for the run {@code runId}.
     *
     * @return the held lease, or empty with {@link Outcome#heldBy} saying who has it
     */
    public Outcome acquire(String job, String runId) {
        try {
            RunLock lock = storage.store(destination).lock(lockName(job), RunLock.Owner.thisProcess(runId,
                    clock.instant()), ttl);
            return new Outcome(Optional.of(lock), null, null);
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.LOCKED) {
                return new Outcome(Optional.empty(), e.getMessage(), null);
            }
            return new Outcome(Optional.empty(), null, e.getMessage());
        }
    }

    /**
     * What {@link #acquire} found.
     *
     * @param lock   the lease, when taken
     * @param heldBy who holds it otherwise (the store's words, naming the run, pid and host)
     * @param error  why the store could not be asked (the job then fails: its destination is unusable)
     */
    public record Outcome(Optional<RunLock> lock, String heldBy, String error) {}
}
