package dev.bbr.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.metadata.BackupActivity;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.InstanceMetadata;
import dev.bbr.artifacts.metadata.MetadataException;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.IncompleteMarker;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StoreException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ArtifactStore} must have, run against the local store and each remote
 * one: the backup lifecycle (incomplete marker first, artifacts committed under their final name only on
 * close, metadata replaced atomically, markFailed keeping the marker and hiding finish_time), listing and
 * opening in both layouts, name collisions, delete and annotate, and the run lock (refusal, stale and
 * dead-holder takeover with exactly one winner, unlock).
 *
 * <p>A subclass names a fresh root per test ({@link #newRoot()}) and opens stores on it.
 */
public abstract class ArtifactStoreConformance {
    /** Crosses several part boundaries of any part size from 5 to 16 MiB. */
    protected static final long BIG = 64L * 1024 * 1024 + 12_345;
    protected static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
    private static final ArtifactId REDIS = ArtifactId.of("redis", "0", "redis-server");
    private static final ArtifactId OTHER = ArtifactId.of("redis", "1", "redis-server");
    private static final ArtifactId CUSTOM = ArtifactId.custom("bbr-db-backup-one-restore-all");

    /** The root of the current test, as {@link #newRoot()} made it. */
    protected String root;

    /** A new empty root (a directory, or a unique prefix in the bucket) for one test. */
    protected abstract String newRoot() throws Exception;

    /** A store on {@code root} with a layout and clock. */
    protected abstract ArtifactStore store(String root, Layout layout, Clock clock) throws Exception;

    /** Every file or object under {@code root}, relative and '/'-separated (for "abort leaves nothing"). */
    protected abstract List<String> rawFiles(String root) throws Exception;

    /** Uploads started and not completed or aborted under {@code root} (S3 multipart uploads). */
    protected int pendingUploads(String root) throws Exception {
        return 0;
    }

    /** Whether the store can create backups in {@code layout} (the local store writes only flat ones). */
    protected boolean supports(Layout layout) {
        return true;
    }

    @BeforeEach
    void freshRoot() throws Exception {
        root = newRoot();
    }

    protected ArtifactStore store(Layout layout, Clock clock) throws Exception {
        return store(root, layout, clock);
    }

    protected ArtifactStore flat(Clock clock) throws Exception {
        return store(root, Layout.FLAT, clock);
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void fullLifecycleStreamsBigArtifactsAndReadsThemBack() throws Exception {
        ArtifactStore store = flat(Clock.fixed(T0, ZoneOffset.UTC));
        BackupDestination backup = store.createBackup("redis");
        String name = BbrLayout.backupName("redis", T0);
        assertThat(backup.location()).contains(name);

        String bigSha;
        try (ArtifactOutput out = backup.openArtifact(REDIS)) {
            bigSha = TestBytes.write(out, BIG, 1, 1024 * 1024 - 7); // odd writes: every part boundary mid-write
            assertThat(out.bytesWritten()).isEqualTo(BIG);
        }
        String smallSha;
        try (ArtifactOutput out = backup.openArtifact(CUSTOM, ".zst.age")) {
            smallSha = TestBytes.write(out, 1000, 2, 100);
        }
        String emptySha;
        try (ArtifactOutput out = backup.openArtifact(OTHER)) {
            emptySha = TestBytes.write(out, 0, 3, 100);
        }
        BackupMetadata metadata = metadata(true);
        backup.writeMetadata(metadata);
        backup.writeFile("manifest.yml", "version: 1\n".getBytes(StandardCharsets.UTF_8));
        backup.markComplete();

        assertThat(store.backups()).containsExactly(name);
        BackupSource source = store.open(name);
        assertThat(source.name()).isEqualTo(name);
        assertThat(source.incompleteReason()).isEmpty();
        assertThat(source.readMetadata()).isEqualTo(metadata);
        try (InputStream in = source.openArtifact(REDIS)) {
            assertThat(TestBytes.read(in)).isEqualTo(new TestBytes.Digest(bigSha, BIG));
        }
        try (InputStream in = source.openArtifact(CUSTOM, ".zst.age")) {
            assertThat(TestBytes.read(in)).isEqualTo(new TestBytes.Digest(smallSha, 1000));
        }
        try (InputStream in = source.openArtifact(OTHER)) {
            assertThat(TestBytes.read(in)).isEqualTo(new TestBytes.Digest(emptySha, 0));
        }
        assertThat(source.storedSize(REDIS, "")).isEqualTo(BIG);
        assertThat(source.plaintextSize(REDIS)).isEqualTo(BIG);
        assertThat(source.storedSize(CUSTOM, ".zst.age")).isEqualTo(1000);
        assertThat(source.readFile("manifest.yml")).map(b -> new String(b, StandardCharsets.UTF_8))
                .contains("version: 1\n");
        assertThat(source.readFile("nothing-here")).isEmpty();

        store.annotate(name, "verified.json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(store.open(name).readFile("verified.json")).map(String::new).contains("{\"ok\":true}");
        store.annotate(name, "verified.json", "{\"ok\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(store.open(name).readFile("verified.json")).map(String::new).contains("{\"ok\":2}");

        store.delete(name);
        assertThat(store.backups()).isEmpty();
        assertThat(rawFiles(root)).noneMatch(f -> f.contains(name));
        assertThat(catchThrowableOfType(StoreException.class, () -> store.open(name)).reason())
                .isEqualTo(StoreException.Reason.NOT_FOUND);
        assertThat(catchThrowableOfType(StoreException.class, () -> store.delete(name)).reason())
                .isEqualTo(StoreException.Reason.NOT_FOUND);
    }

    @Test
    void missingArtifactsAndMetadataAreReportedAsBbrDoes() throws Exception {
        ArtifactStore store = flat(Clock.fixed(T0, ZoneOffset.UTC));
        BackupDestination backup = store.createBackup("redis");
        BackupSource source = store.open(BbrLayout.backupName("redis", T0));
        StoreException missing = catchThrowableOfType(StoreException.class, () -> source.openArtifact(REDIS));
        assertThat(missing.reason()).isEqualTo(StoreException.Reason.NOT_FOUND);
        assertThat(missing.getMessage()).startsWith("open ").endsWith("redis-0-redis-server.tar: no such file or directory");
        assertThat(catchThrowableOfType(StoreException.class, () -> source.storedSize(REDIS, "")).reason())
                .isEqualTo(StoreException.Reason.NOT_FOUND);
        assertThatThrownBy(source::readMetadata).isInstanceOf(MetadataException.class)
                .hasMessageStartingWith("unable to load metadata: open ").hasMessageEndingWith("no such file or directory");
        backup.markFailed("test over");
    }

    @Test
    void anArtifactAppearsOnlyWhenCommitted() throws Exception {
        ArtifactStore store = flat(Clock.fixed(T0, ZoneOffset.UTC));
        BackupDestination backup = store.createBackup("redis");
        BackupSource source = store.open(BbrLayout.backupName("redis", T0));
        ArtifactOutput out = backup.openArtifact(REDIS);
        TestBytes.write(out, 6L * 1024 * 1024, 4, 256 * 1024);
        out.flush();
        assertThat(catchThrowableOfType(StoreException.class, () -> source.storedSize(REDIS, "")).reason())
                .isEqualTo(StoreException.Reason.NOT_FOUND);
        out.close();
        assertThat(source.storedSize(REDIS, "")).isEqualTo(6L * 1024 * 1024);
        StoreException again = catchThrowableOfType(StoreException.class, () -> backup.openArtifact(REDIS));
        assertThat(again.reason()).isEqualTo(StoreException.Reason.CREATE_FAILED);
        assertThat(again.getMessage()).contains("already exists");
    }

    @Test
    void abortLeavesNothing() throws Exception {
        ArtifactStore store = flat(Clock.fixed(T0, ZoneOffset.UTC));
        BackupDestination backup = store.createBackup("redis");
        List<String> before = rawFiles(root);
        ArtifactOutput big = backup.openArtifact(REDIS);
        TestBytes.write(big, 20L * 1024 * 1024 + 5, 5, 1024 * 1024); // past a part boundary or more
        big.abort();
        big.abort(); // idempotent
        big.close(); // does nothing after an abort
        ArtifactOutput small = backup.openArtifact(OTHER);
        TestBytes.write(small, 10, 6, 10);
        small.abort();
        assertThat(rawFiles(root)).isEqualTo(before);
        assertThat(pendingUploads(root)).isZero();
        BackupSource source = store.open(BbrLayout.backupName("redis", T0));
        assertThat(catchThrowableOfType(StoreException.class, () -> source.openArtifact(REDIS)).reason())
                .isEqualTo(StoreException.Reason.NOT_FOUND);
        // the same artifact can be written again after an abort
        try (ArtifactOutput out = backup.openArtifact(REDIS)) {
            TestBytes.write(out, 100, 7, 100);
        }
        assertThat(source.storedSize(REDIS, "")).isEqualTo(100);
    }

    @Test
    void incompleteUntilMarkedComplete() throws Exception {
        ArtifactStore store = flat(Clock.fixed(T0, ZoneOffset.UTC));
        BackupDestination backup = store.createBackup("redis");
        assertThat(rawFiles(root)).contains(BbrLayout.backupName("redis", T0) + "/" + IncompleteMarker.FILE_NAME);
        BackupSource source = store.open(BbrLayout.backupName("redis", T0));
        assertThat(source.incompleteReason()).hasValueSatisfying(r -> assertThat(r).startsWith("in-progress: "));
        backup.writeMetadata(metadata(true));
        assertThat(source.incompleteReason()).isPresent();
        backup.markComplete();
        assertThat(source.incompleteReason()).isEmpty();
        assertThat(rawFiles(root)).noneMatch(f -> f.endsWith(IncompleteMarker.FILE_NAME));
    }

    @Test
    void markFailedKeepsTheMarkerWithTheReasonAndHidesFinishTime() throws Exception {
        ArtifactStore store = flat(Clock.fixed(T0, ZoneOffset.UTC));
        BackupDestination backup = store.createBackup("redis");
        backup.writeMetadata(metadata(true));
        backup.markFailed("drain of redis/0 failed:\nconnection reset");
        BackupSource source = store.open(BbrLayout.backupName("redis", T0));
        assertThat(source.incompleteReason()).contains("failed: drain of redis/0 failed:");
        assertThat(source.readMetadata().backupActivity()).hasValueSatisfying(a -> {
            assertThat(a.finishTime()).isEmpty();
            assertThat(a.startTime()).isEqualTo(metadata(true).backupActivity().orElseThrow().startTime());
        });
        // metadata written after the failure stays without finish_time
        backup.writeMetadata(metadata(true));
        assertThat(store.open(BbrLayout.backupName("redis", T0)).readMetadata().backupActivity()
                .flatMap(BackupActivity::finishTime)).isEmpty();
        assertThatThrownBy(backup::markComplete).isInstanceOf(IllegalStateException.class);
        assertThat(source.incompleteReason()).isPresent();
    }

    @Test
    void metadataIsReplacedWhole() throws Exception {
        ArtifactStore store = flat(Clock.fixed(T0, ZoneOffset.UTC));
        BackupDestination backup = store.createBackup("redis");
        backup.writeMetadata(metadata(false));
        backup.writeMetadata(metadata(true));
        assertThat(store.open(BbrLayout.backupName("redis", T0)).readMetadata()).isEqualTo(metadata(true));
        assertThatThrownBy(() -> backup.writeFile(BbrLayout.METADATA_FILE, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backup.writeFile(IncompleteMarker.FILE_NAME, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backup.writeFile("../x", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        backup.markComplete();
    }

    @Test
    void aNameTakenInTheSameSecondMovesToTheNextSecond() throws Exception {
        ArtifactStore store = flat(Clock.fixed(T0.plusMillis(300), ZoneOffset.UTC));
        BackupDestination first = store.createBackup("redis");
        BackupDestination second = store.createBackup("redis");
        BackupDestination third = store.createBackup("redis");
        assertThat(first.location()).endsWith(BbrLayout.backupName("redis", T0));
        assertThat(second.location()).endsWith(BbrLayout.backupName("redis", T0.plusSeconds(1)));
        assertThat(third.location()).endsWith(BbrLayout.backupName("redis", T0.plusSeconds(2)));
        // a completed backup (no marker any more) still takes its second
        complete(first);
        complete(second);
        complete(third);
        BackupDestination fourth = store.createBackup("redis");
        assertThat(fourth.location()).endsWith(BbrLayout.backupName("redis", T0.plusSeconds(3)));
        assertThat(store.backups()).containsExactly(BbrLayout.backupName("redis", T0),
                BbrLayout.backupName("redis", T0.plusSeconds(1)), BbrLayout.backupName("redis", T0.plusSeconds(2)),
                BbrLayout.backupName("redis", T0.plusSeconds(3)));
    }

    @Test
    void backupsListsOnlyBackupsSortedAcrossDeployments() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ArtifactStore store = flat(clock);
        complete(store.createBackup("redis"));
        clock.advance(Duration.ofHours(25));
        complete(store.createBackup("redis"));
        clock.set(T0.minusSeconds(60));
        complete(store.createBackup("mysql"));
        assertThat(store.backups()).containsExactly(BbrLayout.backupName("mysql", T0.minusSeconds(60)),
                BbrLayout.backupName("redis", T0), BbrLayout.backupName("redis", T0.plus(Duration.ofHours(25))));
        assertThat(catchThrowableOfType(StoreException.class, () -> store.open("redis_20991231T000000Z")).reason())
                .isEqualTo(StoreException.Reason.NOT_FOUND);
    }

    @Test
    void datedLayoutWritesUnderDeploymentAndUtcDateAndIsFoundFromEitherLayout() throws Exception {
        Assumptions.assumeTrue(supports(Layout.DATED), "this store writes only flat backups");
        Instant late = Instant.parse("2026-12-31T23:59:59Z");
        MutableClock clock = new MutableClock(late);
        ArtifactStore dated = store(Layout.DATED, clock);
        BackupDestination backup = dated.createBackup("redis");
        String name = BbrLayout.backupName("redis", late);
        try (ArtifactOutput out = backup.openArtifact(REDIS)) {
            TestBytes.write(out, 1234, 8, 100);
        }
        backup.writeMetadata(metadata(true));
        backup.markComplete();
        clock.advance(Duration.ofSeconds(1));
        complete(dated.createBackup("redis")); // next day, next year
        clock.set(T0);
        complete(dated.createBackup("mysql"));

        assertThat(rawFiles(root)).contains("redis/2026/12/31/" + name + "/redis-0-redis-server.tar",
                "redis/2027/01/01/redis_20270101T000000Z/" + BbrLayout.METADATA_FILE)
                .noneMatch(f -> f.startsWith(name));
        assertThat(dated.backups()).containsExactly(BbrLayout.backupName("mysql", T0), name,
                "redis_20270101T000000Z");
        assertThat(dated.open(name).storedSize(REDIS, "")).isEqualTo(1234);
        // a flat store on the same root lists only flat backups, but opens a dated one by name
        ArtifactStore flat = flat(clock);
        assertThat(flat.backups()).isEmpty();
        assertThat(flat.open(name).readMetadata()).isEqualTo(metadata(true));
        dated.annotate(name, "note", new byte[] {1});
        assertThat(flat.open(name).readFile("note")).hasValueSatisfying(b -> assertThat(b).containsExactly(1));
        flat.delete(name);
        assertThat(dated.backups()).containsExactly(BbrLayout.backupName("mysql", T0), "redis_20270101T000000Z");
    }

    @Test
    void aFlatBackupTakesItsNameFromADatedRun() throws Exception {
        Assumptions.assumeTrue(supports(Layout.DATED), "this store writes only flat backups");
        complete(flat(Clock.fixed(T0, ZoneOffset.UTC)).createBackup("redis"));
        BackupDestination dated = store(Layout.DATED, Clock.fixed(T0, ZoneOffset.UTC)).createBackup("redis");
        assertThat(dated.location()).endsWith("redis/2026/12/07/" + BbrLayout.backupName("redis", T0.plusSeconds(1)));
    }

    // ------------------------------------------------------------------ run lock

    @Test
    void aHeldLockRefusesASecondRunNamingTheHolder() throws Exception {
        ArtifactStore store = flat(Clock.systemUTC());
        RunLock.Owner first = owner("run-1", ProcessHandle.current().pid(), RunLock.Hosts.name());
        try (RunLock lock = store.lock("redis", first, Duration.ofMinutes(30))) {
            assertThat(lock.tookOverFrom()).isEmpty();
            StoreException refused = catchThrowableOfType(StoreException.class,
                    () -> flat(Clock.systemUTC()).lock("redis", owner("run-2", 1, "other-host"), Duration.ofMinutes(30)));
            assertThat(refused.reason()).isEqualTo(StoreException.Reason.LOCKED);
            assertThat(refused.getMessage()).contains("another backup of redis is running into")
                    .contains("run run-1 (pid " + first.pid() + " on " + first.host()).contains("bbr artifacts unlock");
            // another deployment is not affected
            try (RunLock other = store.lock("mysql", owner("run-3", 1, "other-host"), Duration.ofMinutes(30))) {
                assertThat(other.tookOverFrom()).isEmpty();
            }
        }
        // released on close
        try (RunLock again = store.lock("redis", owner("run-4", 1, "other-host"), Duration.ofMinutes(30))) {
            assertThat(again.tookOverFrom()).isEmpty();
        }
    }

    @Test
    void aStaleLockIsTakenOver() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        RunLock stale = flat(clock).lock("redis", owner("run-old", 1, "gone-host"), Duration.ofMinutes(30));
        MutableClock later = new MutableClock(clock.instant().plus(Duration.ofMinutes(31)));
        try (RunLock lock = flat(later).lock("redis", owner("run-new", 1, "other-host"), Duration.ofMinutes(30))) {
            assertThat(lock.tookOverFrom()).hasValueSatisfying(f -> assertThat(f).contains("run run-old")
                    .contains("not refreshed since"));
            // the old holder's close must not remove the new holder's lock
            stale.close();
            StoreException refused = catchThrowableOfType(StoreException.class, () -> flat(later).lock("redis",
                    owner("run-third", 1, "other-host"), Duration.ofMinutes(30)));
            assertThat(refused.reason()).isEqualTo(StoreException.Reason.LOCKED);
            assertThat(refused.getMessage()).contains("run run-new");
        }
    }

    @Test
    void aDeadHoldersLockOnThisHostIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        long deadPid = gone.pid();
        RunLock dead = flat(Clock.systemUTC()).lock("redis", owner("run-dead", deadPid, RunLock.Hosts.name()),
                Duration.ofMinutes(30));
        try (RunLock lock = flat(Clock.systemUTC()).lock("redis", owner("run-alive", ProcessHandle.current().pid(),
                RunLock.Hosts.name()), Duration.ofMinutes(30))) {
            assertThat(lock.tookOverFrom()).hasValueSatisfying(f -> assertThat(f).contains("run run-dead")
                    .contains("its process is gone"));
        } finally {
            dead.close();
        }
    }

    @Test
    void ofTwoRunsTakingOverAStaleLockExactlyOneWins() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        RunLock stale = flat(clock).lock("redis", owner("run-old", 1, "gone-host"), Duration.ofMinutes(30));
        MutableClock later = new MutableClock(clock.instant().plus(Duration.ofHours(1)));
        int runs = 4;
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunLock>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < runs; i++) {
                String runId = "run-" + i;
                ArtifactStore store = flat(later);
                Callable<RunLock> take = () -> {
                    go.await();
                    return store.lock("redis", owner(runId, 1, "host-" + runId), Duration.ofMinutes(30));
                };
                attempts.add(pool.submit(take));
            }
            go.countDown();
            List<RunLock> won = new ArrayList<>();
            int refused = 0;
            for (Future<RunLock> f : attempts) {
                try {
                    won.add(f.get(60, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(StoreException.class);
                    assertThat(((StoreException) e.getCause()).reason()).as(e.getCause().getMessage())
                            .isEqualTo(StoreException.Reason.LOCKED);
                    refused++;
                }
            }
            assertThat(won).hasSize(1);
            assertThat(refused).isEqualTo(runs - 1);
            won.forEach(RunLock::close);
        } finally {
            pool.shutdownNow();
            stale.close();
        }
    }

    @Test
    void unlockRemovesLocksByDeploymentOrAll() throws Exception {
        ArtifactStore store = flat(Clock.systemUTC());
        RunLock redis = store.lock("redis", owner("run-r", 1, "other-host"), Duration.ofMinutes(30));
        RunLock mysql = store.lock("mysql", owner("run-m", 1, "other-host"), Duration.ofMinutes(30));
        List<String> removed = store.unlock("redis");
        assertThat(removed).singleElement().asString().contains("redis").contains("run run-r");
        try (RunLock again = store.lock("redis", owner("run-r2", 1, "other-host"), Duration.ofMinutes(30))) {
            assertThat(again.tookOverFrom()).isEmpty();
            assertThat(store.unlock(null)).hasSize(2);
        }
        assertThat(store.unlock(null)).isEmpty();
        redis.close();
        mysql.close();
        assertThat(rawFiles(root)).noneMatch(f -> f.contains("lock") && f.endsWith(".json"));
    }

    @Test
    void aHeldLockIsRefreshed() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        // stale after 6 s: refreshed every second
        try (RunLock lock = flat(clock).lock("redis", owner("run-1", 1, "other-host"), Duration.ofSeconds(6))) {
            clock.advance(Duration.ofMinutes(5)); // the holder's clock moves on; its refreshes record that
            Thread.sleep(3000);
            // 3 s after the holder's time: fresh only if a refresh wrote the new time
            MutableClock observer = new MutableClock(clock.instant().plusSeconds(3));
            StoreException refused = catchThrowableOfType(StoreException.class, () -> flat(observer).lock("redis",
                    owner("run-2", 1, "x"), Duration.ofSeconds(6)));
            assertThat(refused).as("the lock was refreshed").isNotNull();
            assertThat(refused.reason()).isEqualTo(StoreException.Reason.LOCKED);
        }
    }

    // ------------------------------------------------------------------ helpers

    protected static RunLock.Owner owner(String runId, long pid, String host) {
        return new RunLock.Owner(runId, pid, host, Instant.parse("2026-12-07T01:00:00Z"));
    }

    /** Completes a backup as a run does: metadata, then markComplete (an object store has no empty directories). */
    protected static void complete(BackupDestination backup) throws java.io.IOException {
        backup.writeMetadata(metadata(true));
        backup.markComplete();
    }

    protected static BackupMetadata metadata(boolean finished) {
        BackupActivity activity = new BackupActivity("2026/12/07 02:00:00 UTC", finished ? "2026/12/07 02:10:00 UTC"
                : null);
        return new BackupMetadata(List.of(new InstanceMetadata("redis", "0", List.of(new ArtifactChecksums(
                "redis-server", Map.of("./redis/dump.rdb", "ab".repeat(32)))))), List.of(), activity);
    }

    protected static Optional<String> text(Optional<byte[]> bytes) {
        return bytes.map(b -> new String(b, StandardCharsets.UTF_8));
    }
}
