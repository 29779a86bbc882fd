package dev.bbr.artifacts.store.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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
    /**
     * OS file locks are held per JVM, not per thread: a second thread of this process locking the guard
     * gets an OverlappingFileLockException instead of waiting. Runs in one process (a service taking
     * the locks of several deployments at once) therefore queue here first.
     */
    private static final Object IN_PROCESS_GUARD = new Object();

    private final Path file;
    private final ObjectNode content;
    private final Clock clock;
    private final String tookOverFrom;
    private final ScheduledExecutorService refresher;
    private boolean released;

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
        synchronized (IN_PROCESS_GUARD) {
            return acquireGuarded(root, file, deployment, content, staleAfter, clock);
        }
    }

    private static RunLock acquireGuarded(Path root, Path file, String deployment, ObjectNode content,
                                          Duration staleAfter, Clock clock) throws StoreException {
        try (FileChannel guard = FileChannel.open(root.resolve(".bbr-lock.guard"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = guard.lock()) {
            String takenOverFrom = null;
            Optional<JsonNode> existing = read(file);
            if (existing.isPresent()) {
                JsonNode holder = existing.get();
                String why = staleOrDead(holder, staleAfter, clock);
                if (why == null) {
                    throw new StoreException(StoreException.Reason.LOCKED, "another backup of " + deployment
                            + " is running into " + root + ": " + describe(holder) + "; wait for it to finish, or if"
                            + " it died, run `bbr artifacts unlock " + root + " --deployment " + deployment + "`");
                }
                takenOverFrom = describe(holder) + ", " + why;
            }
            DurableFiles.replaceAtomically(file, JSON.writeValueAsBytes(content));
            return new LocalRunLock(file, content, clock, takenOverFrom, staleAfter);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot take the run lock " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** Why a holder may be replaced, or null when it is alive and fresh. */
    private static String staleOrDead(JsonNode holder, Duration staleAfter, Clock clock) {
        String host = holder.path("host").asText("");
        long pid = holder.path("pid").asLong(-1);
        if (host.equals(Hosts.name()) && (pid <= 0 || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true))) {
            return "its process is gone";
        }
        try {
            Instant refreshed = Instant.parse(holder.path("refreshed_at").asText());
            if (refreshed.plus(staleAfter).isBefore(clock.instant())) {
                return "not refreshed since " + refreshed + " (stale after " + staleAfter.toMinutes() + " min)";
            }
        } catch (java.time.DateTimeException e) {
            return "its lock file is unreadable";
        }
        return null;
    }

    private static String describe(JsonNode holder) {
        return "run " + holder.path("run_id").asText("?") + " (pid " + holder.path("pid").asText("?") + " on "
                + holder.path("host").asText("?") + ", since " + holder.path("started_at").asText("?") + ")";
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

    private synchronized void refresh() {
        if (released) {
            return;
        }
        try {
            content.put("refreshed_at", clock.instant().toString());
            DurableFiles.replaceAtomically(file, JSON.writeValueAsBytes(content));
        } catch (IOException e) {
            // the next refresh tries again; a lock that stays unrefreshed only becomes stale
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
            Optional<JsonNode> current = read(file);
            // only our own lock: a run that took it over from us must keep it
            if (current.isPresent() && content.path("run_id").asText().equals(current.get().path("run_id").asText())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a leftover lock goes stale, or is removed by `bbr artifacts unlock`
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
                String holder = read(p).map(LocalRunLock::describe).orElse("?");
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
