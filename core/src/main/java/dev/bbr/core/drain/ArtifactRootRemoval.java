package dev.bbr.core.drain;

import dev.bbr.core.model.Instance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Decides what a verified artifact's removal removes. bbr deletes each artifact's directory after
 * its checks and later, in the cleanup step, the whole artifact root: two sessions per instance for
 * the usual one-job instance. Here the last artifact of an instance to finish its drain removes the
 * root instead (everything else in it is already drained or failed, and the cleanup would remove
 * it anyway), and the cleanup then skips that instance. The end state on the instance is bbr's.
 */
public final class ArtifactRootRemoval {
    private final Map<Instance, AtomicInteger> draining = new ConcurrentHashMap<>();
    private final Consumer<Instance> rootRemoved;

    /** @param rootRemoved told of each instance whose root a drain removed */
    public ArtifactRootRemoval(Consumer<Instance> rootRemoved) {
        this.rootRemoved = rootRemoved;
    }

    /** Counts an artifact the run will drain from {@code instance}; call before any drain starts. */
    public void expect(Instance instance) {
        draining.computeIfAbsent(instance, i -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * Marks one of the instance's drains as finished; true when it was the last one, so its removal
     * should take the whole root. Each drain calls this exactly once, whether it succeeded or not.
     */
    public boolean finishedLast(Instance instance) {
        AtomicInteger left = draining.get(instance);
        return left != null && left.decrementAndGet() == 0;
    }

    /** The root of {@code instance} is gone. */
    public void removed(Instance instance) {
        rootRemoved.accept(instance);
    }
}
