package dev.bbr.store.remote;

import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a store request again with exponential backoff (and a little jitter) while it fails with a
 * transient {@link IOException}; a {@link StoreException} is final and passes straight through.
 */
public final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    /** A request to the store. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws IOException;
    }

    private final TransferOptions options;
    private final BooleanSupplier cancelled;

    public Retry(TransferOptions options, BooleanSupplier cancelled) {
        this.options = options;
        this.cancelled = cancelled;
    }

    /** Runs {@code call}; after the last attempt the failure is a WRITE_FAILED naming {@code what}. */
    public <T> T run(String what, Call<T> call) throws IOException {
        long backoff = options.initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (StoreException e) {
                throw e;
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (cancelled.getAsBoolean()) {
                    throw e;
                }
                if (attempt >= options.attempts()) {
                    throw new StoreException(StoreException.Reason.WRITE_FAILED, what + " failed after " + attempt
                            + (attempt == 1 ? " attempt: " : " attempts: ") + oneLine(e), e);
                }
                long wait = Math.min(backoff, options.maxBackoff().toMillis());
                wait += ThreadLocalRandom.current().nextLong(Math.max(1, wait / 10));
                LOG.warn("{} failed (attempt {} of {}), trying again in {}: {}", what, attempt, options.attempts(),
                        Duration.ofMillis(wait), oneLine(e));
                options.stats().retried();
                sleep(wait);
                backoff = Math.min(backoff * 2, options.maxBackoff().toMillis());
            }
        }
    }

    /** Runs a call that returns nothing. */
    public void runVoid(String what, VoidCall call) throws IOException {
        run(what, () -> {
            call.run();
            return null;
        });
    }

    /** A request with no result. */
    @FunctionalInterface
    public interface VoidCall {
        void run() throws IOException;
    }

    private void sleep(long millis) throws InterruptedIOException {
        long until = System.nanoTime() + millis * 1_000_000L;
        try {
            // in slices, so an abort does not wait out a long backoff
            while (!cancelled.getAsBoolean()) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000L)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** The message of an exception on one line, without the exception class when it has a message. */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
