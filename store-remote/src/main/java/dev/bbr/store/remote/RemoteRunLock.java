package dev.bbr.store.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.RunLockHolder;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run lock of one deployment in a remote store: the object {@code <root>/.bbr-lock-<deployment>.json}
 * with the same JSON as the local store's lock file (deployment, run id, pid, host, start, last refresh).
 * Taken with a conditional create (S3 {@code If-None-Match: *}, Azure likewise, SFTP an exclusive
 * open), refreshed every sixth of the stale limit by a conditional replace on the version read, taken
 * over from a dead holder (same host, process gone) or a stale one by a conditional replace too: of two
 * runs taking over the same lock, exactly one wins, the other sees the winner's fresh lock.
 */
final class RemoteRunLock implements RunLock {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteRunLock.class);
    static final String PREFIX = ".bbr-lock-";
    static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;
    /**
     * After winning a conditional write, wait this long and read the lock back: the winner must still
     * be us. Some S3-compatible servers check the precondition and write in two steps (S3Proxy 4.1.0's
     * filesystem backend let three of four concurrent takers "win"); the last writer's content is what
     * stays, so reading back after the racing writes have landed leaves exactly one winner (restic
     * re-checks its locks the same way).
     */
    static final Duration SETTLE = Duration.ofMillis(300);

    private final ObjectBackend backend;
    private final String key;
    private final ObjectNode content;
    private final Clock clock;
    private final String tookOverFrom;
    private final ScheduledExecutorService refresher;
    private String version;
    private boolean released;
    private boolean lost;

    private RemoteRunLock(ObjectBackend backend, String key, ObjectNode content, String version, Clock clock,
                          String tookOverFrom, Duration staleAfter) {
        this.backend = backend;
        this.key = key;
        this.content = content;
        this.version = version;
        this.clock = clock;
        this.tookOverFrom = tookOverFrom;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bbr-run-lock-refresh");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, staleAfter.toMillis() / 6);
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    static RunLock acquire(ObjectBackend backend, String location, String deployment, Owner owner,
                           Duration staleAfter, Clock clock) throws StoreException {
        String key = PREFIX + BbrLayout.requirePlain(deployment) + SUFFIX;
        ObjectNode content = JSON.createObjectNode()
                .put("deployment", deployment).put("run_id", owner.runId()).put("pid", owner.pid())
                .put("host", owner.host()).put("started_at", owner.startedAt().toString())
                .put("refreshed_at", clock.instant().toString());
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Optional<String> created = backend.createIfAbsent(key, JSON.writeValueAsBytes(content));
                if (created.isPresent()) {
                    confirm(backend, location, deployment, key, content);
                    return new RemoteRunLock(backend, key, content, created.get(), clock, null, staleAfter);
                }
                Optional<ObjectBackend.Versioned> existing = backend.read(key);
                if (existing.isEmpty()) {
                    continue; // released in between: create again
                }
                JsonNode holder = parse(existing.get().content());
                String why = RunLockHolder.staleOrDead(holder, staleAfter, clock);
                if (why == null) {
                    throw RunLockHolder.locked(location, deployment, holder);
                }
                content.put("refreshed_at", clock.instant().toString());
                Optional<String> replaced = backend.replaceIfMatch(key, JSON.writeValueAsBytes(content),
                        existing.get().version());
                if (replaced.isPresent()) {
                    confirm(backend, location, deployment, key, content);
                    return new RemoteRunLock(backend, key, content, replaced.get(), clock,
                            RunLockHolder.describe(holder) + ", " + why, staleAfter);
                }
                // another run changed the lock between our read and our replace: look again
            }
            Optional<ObjectBackend.Versioned> last = backend.read(key);
            throw RunLockHolder.locked(location, deployment, last.map(v -> parse(v.content())).orElse(JSON.createObjectNode()));
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot take the run lock "
                    + backend.describe(key) + ": " + Retry.oneLine(e), e);
        }
    }

    /** Reads the lock back after {@link #SETTLE}: LOCKED if a racing run's write is what stayed. */
    private static void confirm(ObjectBackend backend, String location, String deployment, String key,
                                ObjectNode ours) throws IOException {
        try {
            Thread.sleep(SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while taking the run lock");
        }
        Optional<ObjectBackend.Versioned> now = backend.read(key);
        JsonNode holder = now.map(v -> parse(v.content())).orElse(JSON.createObjectNode());
        if (!ours.path("run_id").asText().equals(holder.path("run_id").asText())) {
            throw RunLockHolder.locked(location, deployment, holder);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode(); // unreadable: treated as stale
        }
    }

    /** Refreshes by a conditional replace on the version we wrote last; a lock taken over is left alone. */
    synchronized void refresh() {
        if (released || lost) {
            return;
        }
        try {
            content.put("refreshed_at", clock.instant().toString());
            Optional<String> next = backend.replaceIfMatch(key, JSON.writeValueAsBytes(content), version);
            if (next.isPresent()) {
                version = next.get();
            } else {
                lost = true;
                LOG.warn("the run lock {} was taken over by another run; it is no longer refreshed",
                        backend.describe(key));
            }
        } catch (IOException | RuntimeException e) {
            // the next refresh tries again; a lock that stays unrefreshed only becomes stale
            LOG.debug("refreshing the run lock {} failed: {}", backend.describe(key), Retry.oneLine(e));
        }
    }

    @Override
    public Optional<String> tookOverFrom() {
        return Optional.ofNullable(tookOverFrom);
    }

    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        refresher.shutdownNow();
        try {
            Optional<ObjectBackend.Versioned> current = backend.read(key);
            // only our own lock: a run that took it over from us must keep it
            if (current.isPresent() && content.path("run_id").asText().equals(
                    parse(current.get().content()).path("run_id").asText())) {
                backend.delete(key);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("releasing the run lock {} failed ({}); it goes stale, or remove it with bbr artifacts unlock",
                    backend.describe(key), Retry.oneLine(e));
        }
    }

    /** {@code bbr artifacts unlock}: removes the lock of one deployment, or all ({@code null}). */
    static List<String> remove(ObjectBackend backend, String location, String deploymentOrAll)
            throws StoreException {
        List<String> removed = new ArrayList<>();
        try {
            for (String key : backend.listKeys(PREFIX)) {
                if (key.indexOf('/') >= 0 || !key.endsWith(SUFFIX)) {
                    continue;
                }
                String deployment = key.substring(PREFIX.length(), key.length() - SUFFIX.length());
                if (deploymentOrAll != null && !deploymentOrAll.equals(deployment)) {
                    continue;
                }
                String holder = backend.read(key).map(v -> RunLockHolder.describe(parse(v.content()))).orElse("?");
                backend.delete(key);
                removed.add("removed the run lock of " + deployment + " in " + location + ", held by " + holder);
            }
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot remove run locks in " + location
                    + ": " + Retry.oneLine(e), e);
        }
        return removed;
    }
}
