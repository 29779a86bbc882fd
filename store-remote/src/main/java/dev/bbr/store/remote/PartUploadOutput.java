package dev.bbr.store.remote;

import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams an artifact to a {@link PartSink} in parts: the writer fills a part buffer; a full one is
 * handed to an upload thread and the writer continues in a free buffer. At most {@code partsInFlight}
 * parts upload at once; when they are all busy the writer blocks, so memory stays at most {@code
 * partSize × (partsInFlight + 1)} however slow the store is. Nothing is staged on local disk.
 *
 * <p>Each part is retried ({@link Retry}) with its buffer kept until it is acknowledged, so a store that
 * drops out and comes back within the retry window loses nothing. {@link #close()} commits; {@link
 * #abort()} and a failed commit remove what was uploaded.
 */
public final class PartUploadOutput extends ArtifactOutput {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String description;
    private final PartSink sink;
    private final TransferOptions options;
    private final Retry retry;
    private final Semaphore inFlight;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private final List<Future<?>> parts = new ArrayList<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final ExecutorService uploaders;
    private volatile boolean cancelled;
    private byte[] current;
    private int filled;
    private long written;
    private long submittedBytes;
    private int nextPart = 1;
    private boolean started;
    private boolean finished;

    /** {@code description} names the artifact in messages (its location). */
    public PartUploadOutput(String description, PartSink sink, TransferOptions options) {
        this.description = description;
        this.sink = sink;
        this.options = options;
        this.retry = new Retry(options, () -> cancelled);
        this.inFlight = new Semaphore(options.partsInFlight());
        int n = THREADS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        this.uploaders = Executors.newFixedThreadPool(options.partsInFlight(), r -> {
            Thread t = new Thread(r, "bbr-upload-" + n + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        while (length > 0) {
            if (current == null) {
                current = takeBuffer();
            }
            int n = Math.min(length, current.length - filled);
            System.arraycopy(bytes, offset, current, filled, n);
            filled += n;
            offset += n;
            length -= n;
            written += n;
            if (filled == current.length) {
                submitCurrent();
            }
        }
    }

    /** Hands the filled buffer to an upload thread, waiting while {@code partsInFlight} parts are busy. */
    private void submitCurrent() throws IOException {
        if (!started) {
            retry.runVoid("starting the upload of " + description, sink::start);
            started = true;
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part upload of " + description);
        }
        byte[] buffer = current;
        int length = filled;
        int number = nextPart++;
        long offset = submittedBytes;
        submittedBytes += length;
        current = null;
        filled = 0;
        try {
            parts.add(uploaders.submit(() -> {
                try {
                    retry.runVoid("uploading part " + number + " of " + description,
                            () -> sink.uploadPart(number, offset, buffer, length));
                    options.stats().partUploaded();
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e instanceof IOException io ? io : new IOException(e.getMessage(), e));
                    cancelled = true; // the artifact fails anyway: stop the other parts' retries
                } finally {
                    giveBack(buffer);
                    inFlight.release();
                }
            }));
        } catch (RuntimeException e) {
            giveBack(buffer);
            inFlight.release();
            throw e;
        }
        rethrowFailure();
    }

    /** Commits the artifact: the last part, then the store's commit; any failure removes the upload. */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            rethrowFailure();
            if (!started) {
                byte[] whole = current == null ? new byte[0] : current;
                int length = filled;
                retry.runVoid("uploading " + description, () -> sink.putWhole(whole, length));
                options.stats().partUploaded();
            } else {
                if (filled > 0) {
                    submitCurrent();
                }
                awaitParts();
                rethrowFailure();
                int count = nextPart - 1;
                retry.runVoid("completing the upload of " + description, () -> sink.complete(count, written));
            }
        } catch (IOException | RuntimeException e) {
            cancelled = true;
            awaitPartsQuietly();
            abortUpload();
            throw e;
        } finally {
            releaseAll();
        }
    }

    @Override
    public void abort() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        cancelled = true;
        try {
            awaitPartsQuietly();
            abortUpload();
        } finally {
            releaseAll();
        }
    }

    @Override
    public long bytesWritten() {
        return written;
    }

    private void abortUpload() {
        if (!started) {
            return;
        }
        try {
            sink.abort();
        } catch (IOException | RuntimeException ignored) {
            // best effort: S3 lifecycle rules / Azure's garbage collection remove what is left
        }
    }

    private void awaitParts() throws IOException {
        for (Future<?> part : parts) {
            try {
                part.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the parts of " + description);
            } catch (ExecutionException e) {
                failure.compareAndSet(null, new IOException(e.getCause()));
            }
        }
    }

    private void awaitPartsQuietly() {
        try {
            awaitParts();
        } catch (IOException ignored) {
            // failing or aborting anyway
        }
    }

    private void rethrowFailure() throws IOException {
        IOException e = failure.get();
        if (e != null) {
            // a new exception each time: the caller's try-with-resources may see it from write and close
            if (e instanceof StoreException se) {
                throw new StoreException(se.reason(), se.getMessage(), se);
            }
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "writing " + description + " failed: "
                    + Retry.oneLine(e), e);
        }
    }

    private byte[] takeBuffer() {
        synchronized (free) {
            byte[] b = free.poll();
            if (b != null) {
                return b;
            }
        }
        options.stats().allocated(options.partSize());
        return new byte[options.partSize()];
    }

    private void giveBack(byte[] buffer) {
        synchronized (free) {
            free.push(buffer);
        }
    }

    private void releaseAll() {
        uploaders.shutdownNow();
        synchronized (free) {
            if (current != null) {
                free.push(current);
                current = null;
            }
            while (!free.isEmpty()) {
                free.pop();
                options.stats().freed(options.partSize());
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (finished) {
            throw new IOException("artifact " + description + " is already closed");
        }
    }
}
