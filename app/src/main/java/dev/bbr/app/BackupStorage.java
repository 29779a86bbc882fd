package dev.bbr.app;

import dev.bbr.artifacts.atrest.AtRestDestination;
import dev.bbr.artifacts.atrest.AtRestSource;
import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import dev.bbr.core.workflow.DestinationFactory;
import dev.bbr.core.workflow.RunContext;
import dev.bbr.core.workflow.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where backups go and come from, for the backup and restore operations: the run lock of a deployment
 * in its store, the codec (compression, encryption) every artifact passes through with the sidecar
 * written last, and the decoding of a backup to restore once its identities are known to fit.
 */
final class BackupStorage {
    /** A lock not refreshed for this long belongs to a run that is gone (it refreshes every 5 minutes). */
    static final Duration STALE_AFTER = Duration.ofMinutes(30);

    private final StorageRegistry registry;
    private final Environment environment;

    BackupStorage(StorageRegistry registry, Environment environment) {
        this.registry = registry;
        this.environment = environment;
    }

    /**
     * Takes the run lock of {@code deployment} in the store at {@code location}. A location that does
     * not exist or is no store gets no lock: the backup then fails with bbr's own message, at bbr's
     * point. Another run holding the lock ends this one before anything is contacted.
     */
    RunLock lock(String location, String deployment, RunContext run) throws RunLockedException {
        try {
            RunLock lock = registry.store(location).lock(deployment,
                    RunLock.Owner.thisProcess(run.runId(), run.clock().instant()), STALE_AFTER);
            lock.tookOverFrom().ifPresent(previous -> run.log().warn("Took over the run lock of " + deployment
                    + " in " + shown(location) + " from " + previous));
            return lock;
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.LOCKED) {
                throw new RunLockedException(e.getMessage());
            }
            return null;
        }
    }

    /** Each backup written through the codec; the sidecar records it for verify, list and restore. */
    DestinationFactory destinations(String location, ArtifactCodec codec, RunContext run) {
        return deployment -> new AtRestDestination(registry.store(location).createBackup(deployment), codec,
                run.clock(), "bbr-java " + environment.bbrVersion(), run.runId(), deployment);
    }

    /**
     * The backup to restore, decoded as it is read. An encrypted backup is refused here, before the
     * Director is contacted, when none of the identities is one of its recipients.
     */
    Supplier<BackupSource> restoreSource(String location, List<String> identityFiles) {
        return () -> {
            try {
                return decoded(registry.openBackup(location), identityFiles);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        };
    }

    /** The same, for a backup found by name in a store ({@code --all-deployments restore}). */
    Supplier<BackupSource> restoreSource(ArtifactStore store, String backupName, List<String> identityFiles) {
        return () -> {
            try {
                return decoded(store.open(backupName), identityFiles);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        };
    }

    /** A backup with its codec applied, refused unless one of the identities fits (when it is encrypted). */
    AtRestSource decoded(BackupSource stored, List<String> identityFiles) throws IOException {
        AgeIdentities identities = identityFiles.isEmpty() ? AgeIdentities.none()
                : AgeIdentities.readFiles(identityFiles.stream()
                        .map(f -> environment.workingDirectory().resolve(f)).toList());
        AtRestSource source = AtRestSource.open(stored, identities);
        source.requireUsableIdentities();
        return source;
    }

    /** A run refused because another holds the lock: exit code 32, nothing contacted. */
    static RunResult refused(RunLockedException e) {
        return new RunResult(new ErrorReport(List.of(BbrError.of(ErrorKind.RUN_LOCKED, e.getMessage()))), null,
                false);
    }

    private String shown(String location) {
        return location.isEmpty() ? Path.of(".").toString() : location;
    }

    /** Another run of the deployment holds the store's run lock. */
    static final class RunLockedException extends Exception {
        RunLockedException(String message) {
            super(message);
        }
    }
}
