package dev.bbr.artifacts.store.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.RunLockHolder;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The run lock of one deployment in a local store: {@code <root>/.bbr-lock-<deployment>.json} holding
 * the owner (run id, pid, host, start) and when it was last refreshed. Taken with an exclusive create;
 * refreshed every sixth of the stale limit while held; taken over when its holder died (same host,
 * process gone) or it went unrefreshed for the stale limit. The read-decide-replace of a takeover runs
 * under an OS file lock on {@code .bbr-lock.guard}, so two runs on this host never both take it over.
 */
final class LocalRunLock implements RunLock {
    static final String PREFIX = ".bbr-lock-";
    static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode content;
    private final Clock clock;
    private final String tookOverFrom;
    private final ScheduledExecutorService refresher;
    private boolean released;
    private boolean lost;

    private LocalRunLock(Path file, ObjectNode content, Clock clock, String tookOverFrom, Duration staleAfter) {
        this.file = file;
        this.content = content;
        this.clock = clock;
        this.tookOverFrom = tookOverFrom;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bbr-run-lock-refresh");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, staleAfter.toMillis() / 6);
        refresher.scheduleAtFixedRate(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    static RunLock acquire(Path root, String deployment, Owner owner, Duration staleAfter, Clock clock)
            throws StoreException {
        Path file = root.resolve(PREFIX + BbrLayout.requirePlain(deployment) + SUFFIX);
        ObjectNode content = JSON.createObjectNode()
                .put("deployment", deployment).put("run_id", owner.runId()).put("pid", owner.pid())
                .put("host", owner.host()).put("started_at", owner.startedAt().toString())
                .put("refreshed_at", clock.instant().toString());
        try {
            byte[] bytes = JSON.writeValueAsBytes(content);
            if (createExclusively(file, bytes, owner.runId())) {
                return new LocalRunLock(file, content, clock, null, staleAfter);
            }
            // Held, or left behind: decide under the guard, so two runs never both take it over. The
            // guard file only appears once a lock was found, and stays (an empty dot-file).
            return guarded(root, () -> {
                Optional<JsonNode> existing = read(file);
                if (existing.isEmpty()) {
                    if (createExclusively(file, bytes, owner.runId())) {
                        return new LocalRunLock(file, content, clock, null, staleAfter);
                    }
                    existing = read(file);
                }
                JsonNode holder = existing.orElseGet(JSON::createObjectNode);
                String why = RunLockHolder.staleOrDead(holder, staleAfter, clock);
                if (why == null) {
                    throw RunLockHolder.locked(root.toString(), deployment, holder);
                }
                DurableFiles.replaceAtomically(file, bytes);
                return new LocalRunLock(file, content, clock, RunLockHolder.describe(holder) + ", " + why, staleAfter);
            });
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot take the run lock " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs a read-decide-write of lock files under the guard. An OS file lock is held by the whole JVM:
     * a second {@code FileChannel.lock()} on the guard from another thread of this JVM (parallel
     * deployments of {@code --all-deployments}, the refresher) throws OverlappingFileLockException
     * instead of waiting, so the threads of this JVM first queue on a monitor.
     */
    private static <T> T guarded(Path root, GuardedAction<T> action) throws IOException {
        synchronized (JVM_GUARD) {
            try (FileChannel guard = FileChannel.open(root.resolve(".bbr-lock.guard"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = guard.lock()) {
                return action.run();
            }
        }
    }

    /** Queues this JVM's threads only (refresh and release, which need no cross-process guard). */
    private static <T> T inThisJvm(GuardedAction<T> action) throws IOException {
        synchronized (JVM_GUARD) {
            return action.run();
        }
    }

    private interface GuardedAction<T> {
        T run() throws IOException;
    }

    private static final Object JVM_GUARD = new Object();

    /**
     * Creates the lock file only if there is none, with its whole content at once (a hard link to a
     * finished temporary file), so a reader never sees a half-written lock and mistakes it for a stale
     * one. Where hard links are not supported, an exclusive create is the fallback.
     */
    private static boolean createExclusively(Path file, byte[] content, String runId) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + "." + runId + ".tmp");
        try {
            DurableFiles.replaceAtomically(temporary, content);
            try {
                Files.createLink(file, temporary);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                try {
                    Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return true;
                } catch (FileAlreadyExistsException exists) {
                    return false;
                }
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Optional<JsonNode> read(Path file) throws IOException {
        try {
            return Optional.of(JSON.readTree(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.of(JSON.createObjectNode()); // unreadable: treated as stale
        }
    }

    /**
     * Package-private for tests. Only rewrites the file while it is still ours: once another run took
     * the lock over (ours had gone stale, e.g. the host was suspended), blindly rewriting it would
     * steal it back and leave two runs each believing they hold it; we stop refreshing instead.
     */
    synchronized void refresh() {
        if (released || lost) {
            return;
        }
        try {
            inThisJvm(() -> {
                Optional<JsonNode> current = read(file);
                if (current.isPresent() && !isOurs(current.get())) {
                    lost = true;
                    refresher.shutdown();
                    return null;
                }
                content.put("refreshed_at", clock.instant().toString());
                DurableFiles.replaceAtomically(file, JSON.writeValueAsBytes(content));
                return null;
            });
        } catch (IOException e) {
            // the next refresh tries again; a lock that stays unrefreshed only becomes stale
        }
    }

    private boolean isOurs(JsonNode current) {
        return content.path("run_id").asText().equals(current.path("run_id").asText());
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
        // a cancelled run may close from an interrupted thread; the file channels would refuse it
        boolean interrupted = Thread.interrupted();
        try {
            // A takeover can only replace a lock that went unrefreshed for the stale limit, so the
            // check-then-delete needs no file lock (which would leave a guard file behind every run).
            inThisJvm(() -> {
                Optional<JsonNode> current = read(file);
                // only our own lock: a run that took it over from us must keep it
                if (current.isPresent() && isOurs(current.get())) {
                    Files.deleteIfExists(file);
                }
                return null;
            });
        } catch (IOException e) {
            // a leftover lock goes stale, or is removed by `bbr artifacts unlock`
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code bbr artifacts unlock}: removes the lock of one deployment, or all ({@code null}). */
    static List<String> remove(Path root, String deploymentOrAll) throws StoreException {
        List<String> removed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
                    continue;
                }
                String deployment = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
                if (deploymentOrAll != null && !deploymentOrAll.equals(deployment)) {
                    continue;
                }
                String holder = read(p).map(RunLockHolder::describe).orElse("?");
                Files.deleteIfExists(p);
                removed.add("removed the run lock of " + deployment + " in " + root + ", held by " + holder);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot remove run locks in " + root + ": "
                    + e.getMessage(), e);
        }
        return removed;
    }
}
