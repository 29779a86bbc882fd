package dev.bbr.store.remote;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the part buffers of streaming uploads: how many exist now and at most, and how many parts
 * were retried. The memory an upload holds is its live buffers times the part size, bounded by
 * {@code partSize × (partsInFlight + 1)} per artifact; tests assert that bound on a slow store.
 */
public final class TransferStats {
    private final AtomicInteger liveBuffers = new AtomicInteger();
    private final AtomicInteger peakBuffers = new AtomicInteger();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLong partsUploaded = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    void allocated(int bytes) {
        peakBuffers.accumulateAndGet(liveBuffers.incrementAndGet(), Math::max);
        peakBytes.accumulateAndGet(liveBytes.addAndGet(bytes), Math::max);
    }

    void freed(int bytes) {
        liveBuffers.decrementAndGet();
        liveBytes.addAndGet(-bytes);
    }

    void partUploaded() {
        partsUploaded.incrementAndGet();
    }

    void retried() {
        retries.incrementAndGet();
    }

    /** Part buffers allocated and not yet freed. */
    public int liveBuffers() {
        return liveBuffers.get();
    }

    /** The most part buffers that existed at once. */
    public int peakBuffers() {
        return peakBuffers.get();
    }

    /** The most bytes of part buffers that existed at once. */
    public long peakBytes() {
        return peakBytes.get();
    }

    public long partsUploaded() {
        return partsUploaded.get();
    }

    /** Part, start or commit requests that failed and were tried again. */
    public long retries() {
        return retries.get();
    }

    @Override
    public String toString() {
        return "TransferStats[live=" + liveBuffers() + ", peak=" + peakBuffers() + " buffers/" + peakBytes()
                + " bytes, parts=" + partsUploaded() + ", retries=" + retries() + "]";
    }
}
