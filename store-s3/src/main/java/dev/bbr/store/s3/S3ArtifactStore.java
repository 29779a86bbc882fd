package dev.bbr.store.s3;

import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StaleUploads;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.RemoteArtifactStore;
import dev.bbr.store.remote.Retry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Backups in an S3 bucket under a prefix ({@code s3://BUCKET/PREFIX}); see {@link RemoteArtifactStore}
 * for the layout and {@link S3Stores} for the settings.
 */
public final class S3ArtifactStore extends RemoteArtifactStore implements StaleUploads {
    private final S3Backend s3;

    S3ArtifactStore(S3Backend backend, Layout layout, Clock clock) {
        super(backend, layout, clock, backend.transfer());
        this.s3 = backend;
    }

    /**
     * Aborts the incomplete multipart uploads under this store's prefix that were started more than
     * {@code olderThan} ago (runs that died mid-upload); for prune. Returns how many were aborted.
     * A bucket lifecycle rule (AbortIncompleteMultipartUpload) does the same on AWS without bbr.
     */
    @Override
    public int abortStaleUploads(Duration olderThan) throws StoreException {
        try {
            return s3.abortUploads("", clock.instant().minus(olderThan));
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, Retry.oneLine(e), e);
        }
    }
}
