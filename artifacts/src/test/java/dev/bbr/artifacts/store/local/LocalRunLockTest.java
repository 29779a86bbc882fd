package dev.bbr.artifacts.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.artifacts.testsupport.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run lock through {@link LocalArtifactStore#lock} and {@link LocalArtifactStore#unlock}. */
class LocalRunLockTest {
    private static final Instant T = Instant.parse("2026-12-07T02:00:00Z");
    private static final Duration STALE = Duration.ofMinutes(10);
    private static final String HOST = RunLock.Hosts.name();
    private static final long MY_PID = ProcessHandle.current().pid();

    @TempDir
    Path root;

    MutableClock clock;
    LocalArtifactStore store;
    private final List<RunLock> held = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T);
        store = new LocalArtifactStore(root, clock);
    }

    @AfterEach
    void releaseAll() {
        held.forEach(RunLock::close); // stops the refreshers
    }

    private RunLock lock(String deployment, RunLock.Owner owner) throws StoreException {
        RunLock lock = store.lock(deployment, owner, STALE);
        held.add(lock);
        return lock;
    }

    private static RunLock.Owner alive(String runId) {
        return new RunLock.Owner(runId, MY_PID, HOST, T);
    }

    private static RunLock.Owner elsewhere(String runId) {
        return new RunLock.Owner(runId, 4242, "jumpbox-2", T);
    }

    /** The pid of a process that has exited (and been reaped) on this host. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        return p.pid();
    }

    private Path lockFile(String deployment) {
        return root.resolve(".bbr-lock-" + deployment + ".json");
    }

    private JsonNode lockContent(String deployment) throws IOException {
        return new ObjectMapper().readTree(Files.readAllBytes(lockFile(deployment)));
    }

    @Test
    void takingTheLockRecordsItsOwner() throws Exception {
        RunLock lock = lock("redis", new RunLock.Owner("run-1", MY_PID, HOST, Instant.parse("2026-12-07T01:59:00Z")));

        assertThat(lock.tookOverFrom()).isEmpty();
        JsonNode content = lockContent("redis");
        assertThat(content.path("deployment").asText()).isEqualTo("redis");
        assertThat(content.path("run_id").asText()).isEqualTo("run-1");
        assertThat(content.path("pid").asLong()).isEqualTo(MY_PID);
        assertThat(content.path("host").asText()).isEqualTo(HOST);
        assertThat(content.path("started_at").asText()).isEqualTo("2026-12-07T01:59:00Z");
        assertThat(content.path("refreshed_at").asText()).isEqualTo("2026-12-07T02:00:00Z");
    }

    @Test
    void aSecondRunIsRefusedNamingTheHolderAndTheWayOut() throws Exception {
        lock("redis", alive("run-1"));

        assertThatThrownBy(() -> lock("redis", alive("run-2")))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LOCKED))
                .hasMessage("another backup of redis is running into " + root + ": run run-1 (pid " + MY_PID + " on "
                        + HOST + ", since 2026-12-07T02:00:00Z); wait for it to finish, or if it died, run"
                        + " `bbr artifacts unlock " + root + " --deployment redis`");
        assertThat(lockContent("redis").path("run_id").asText()).isEqualTo("run-1");
    }

    @Test
    void aHolderOnAnotherHostIsRespectedWhileFresh() throws Exception {
        lock("redis", elsewhere("run-1"));
        clock.advance(STALE); // exactly the limit: not yet stale

        assertThatThrownBy(() -> lock("redis", alive("run-2")))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LOCKED))
                .hasMessageContaining("run run-1 (pid 4242 on jumpbox-2, since 2026-12-07T02:00:00Z)");
    }

    @Test
    void deploymentsAreLockedIndependently() throws Exception {
        lock("redis", alive("run-1"));

        RunLock cf = lock("cf", alive("run-2"));

        assertThat(cf.tookOverFrom()).isEmpty();
        assertThat(lockFile("redis")).exists();
        assertThat(lockFile("cf")).exists();
    }

    @Test
    void closingReleasesTheLock() throws Exception {
        RunLock first = lock("redis", alive("run-1"));

        first.close();

        assertThat(lockFile("redis")).doesNotExist();
        RunLock second = lock("redis", alive("run-2"));
        assertThat(second.tookOverFrom()).isEmpty();
        first.close(); // idempotent: must not remove the new holder's lock
        assertThat(lockContent("redis").path("run_id").asText()).isEqualTo("run-2");
    }

    @Test
    void theLockOfADeadProcessOnThisHostIsTakenOver() throws Exception {
        long dead = deadPid();
        lock("redis", new RunLock.Owner("run-1", dead, HOST, T));

        RunLock second = lock("redis", alive("run-2"));

        assertThat(second.tookOverFrom()).contains("run run-1 (pid " + dead + " on " + HOST
                + ", since 2026-12-07T02:00:00Z), its process is gone");
        assertThat(lockContent("redis").path("run_id").asText()).isEqualTo("run-2");
    }

    @Test
    void aDeadPidOnAnotherHostProvesNothing() throws Exception {
        lock("redis", new RunLock.Owner("run-1", deadPid(), "jumpbox-2", T));

        assertThatThrownBy(() -> lock("redis", alive("run-2"))).isInstanceOf(StoreException.class);
    }

    @Test
    void aStaleLockIsTakenOverAndSaysSinceWhen() throws Exception {
        lock("redis", elsewhere("run-1"));
        clock.advance(STALE.plusSeconds(1));

        RunLock second = lock("redis", alive("run-2"));

        assertThat(second.tookOverFrom()).contains("run run-1 (pid 4242 on jumpbox-2, since 2026-12-07T02:00:00Z),"
                + " not refreshed since 2026-12-07T02:00:00Z (stale after 10 min)");
        JsonNode content = lockContent("redis");
        assertThat(content.path("run_id").asText()).isEqualTo("run-2");
        assertThat(content.path("refreshed_at").asText()).isEqualTo("2026-12-07T02:10:01Z");
    }

    @Test
    void aRefreshedLockDoesNotGoStale() throws Exception {
        RunLock first = lock("redis", elsewhere("run-1"));
        clock.advance(Duration.ofMinutes(8));
        ((LocalRunLock) first).refresh();
        clock.advance(Duration.ofMinutes(8));

        assertThat(lockContent("redis").path("refreshed_at").asText()).isEqualTo("2026-12-07T02:08:00Z");
        assertThatThrownBy(() -> lock("redis", alive("run-2"))).isInstanceOf(StoreException.class);
    }

    @Test
    void theOldHolderNeitherRefreshesNorRemovesALockTakenOverFromIt() throws Exception {
        RunLock first = lock("redis", elsewhere("run-1"));
        clock.advance(Duration.ofMinutes(11));
        RunLock second = lock("redis", alive("run-2"));
        assertThat(second.tookOverFrom()).isPresent();

        clock.advance(Duration.ofMinutes(1));
        ((LocalRunLock) first).refresh(); // the first run woke up (a suspended VM) and refreshes
        first.close();

        JsonNode content = lockContent("redis");
        assertThat(content.path("run_id").asText()).isEqualTo("run-2");
        assertThat(content.path("refreshed_at").asText()).isEqualTo("2026-12-07T02:11:00Z");
        assertThatThrownBy(() -> lock("redis", alive("run-3"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("run run-2");
    }

    @Test
    void anUnreadableLockFileIsTakenOver() throws Exception {
        Files.writeString(lockFile("redis"), "{ this is not json");

        RunLock lock = lock("redis", alive("run-1"));

        assertThat(lock.tookOverFrom()).contains("run ? (pid ? on ?, since ?), its lock file is unreadable");
    }

    @Test
    void parallelRunsOfOneJvmLockDifferentDeploymentsWithoutErrors() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String deployment = "dep-" + t;
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    int taken = 0;
                    for (int i = 0; i < 15; i++) {
                        try (RunLock lock = store.lock(deployment, alive("run-" + deployment + "-" + i), STALE)) {
                            taken += lock.tookOverFrom().isEmpty() ? 1 : 0;
                        }
                    }
                    return taken;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(15);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.unlock(null)).isEmpty();
    }

    @Test
    void unlockRemovesOneDeploymentsLockNamingItsHolder() throws Exception {
        lock("redis", elsewhere("run-1"));
        lock("cf", elsewhere("run-2"));

        List<String> removed = store.unlock("redis");

        assertThat(removed).containsExactly("removed the run lock of redis in " + root
                + ", held by run run-1 (pid 4242 on jumpbox-2, since 2026-12-07T02:00:00Z)");
        assertThat(lockFile("redis")).doesNotExist();
        assertThat(lockFile("cf")).exists();
        assertThat(lock("redis", alive("run-3")).tookOverFrom()).isEmpty();
    }

    @Test
    void unlockWithoutDeploymentRemovesThemAll() throws Exception {
        lock("redis", elsewhere("run-1"));
        lock("cf", elsewhere("run-2"));
        Files.writeString(root.resolve("notes.json"), "{}");

        List<String> removed = store.unlock(null);

        assertThat(removed).hasSize(2).anySatisfy(line -> assertThat(line).startsWith("removed the run lock of cf in "))
                .anySatisfy(line -> assertThat(line).startsWith("removed the run lock of redis in "));
        assertThat(lockFile("redis")).doesNotExist();
        assertThat(lockFile("cf")).doesNotExist();
        assertThat(root.resolve("notes.json")).exists();
    }

    @Test
    void unlockOfAnUnlockedDeploymentRemovesNothing() throws Exception {
        lock("cf", elsewhere("run-1"));

        assertThat(store.unlock("redis")).isEmpty();
        assertThat(lockFile("cf")).exists();
    }

    @Test
    void aMissingStoreCannotBeLockedOrUnlocked() {
        LocalArtifactStore missing = new LocalArtifactStore(root.resolve("nope"), clock);

        assertThatThrownBy(() -> missing.lock("redis", alive("run-1"), STALE))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> missing.unlock(null))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
    }

    @Test
    void aDeploymentNameCannotPointOutOfTheStore() {
        assertThatThrownBy(() -> store.lock("../redis", alive("run-1"), STALE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
