package dev.bbr.artifacts.store;

import java.time.Duration;

/**
 * A store that keeps the parts of uploads a dead run never finished (S3 multipart uploads). Prune
 * asks it to abort those older than its grace period, so they stop costing storage.
 */
public interface StaleUploads {

    /** Aborts the unfinished uploads started more than {@code olderThan} ago; returns how many. */
    int abortStaleUploads(Duration olderThan) throws StoreException;
}
