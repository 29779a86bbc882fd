package dev.bbr.core.order;

/** The jobs' "should be locked before" constraints form a cycle. */
public final class CyclicLockGraphException extends Exception {
    private static final long serialVersionUID = 1L;

    public CyclicLockGraphException() {
        super("job locking dependency graph is cyclic");
    }
}
