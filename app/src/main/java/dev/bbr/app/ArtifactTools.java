package dev.bbr.app;

import dev.bbr.artifacts.atrest.BackupInspector;
import dev.bbr.artifacts.atrest.BackupState;
import dev.bbr.artifacts.atrest.BackupSummary;
import dev.bbr.artifacts.atrest.Verified;
import dev.bbr.artifacts.atrest.VerifyResult;
import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.retention.BackupRef;
import dev.bbr.artifacts.retention.RetentionDecision;
import dev.bbr.artifacts.retention.RetentionPlan;
import dev.bbr.artifacts.retention.RetentionPlanner;
import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.StaleUploads;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code bbr artifacts} operations on backups at rest, with no Director and no instance involved:
 * list, verify, prune (retention) and removing a run lock by hand. A location is one backup or a
 * store of backups, local or remote alike.
 */
public final class ArtifactTools {
    private final BbrApp app;

    ArtifactTools(BbrApp app) {
        this.app = app;
    }

    /** What {@code pre-backup-check --artifact-path} reports about where the backup would go. */
    public record SpaceReport(String location, java.util.OptionalLong freeSpace,
            java.util.Optional<BackupSummary> newestBackup) {}

    /**
     * The free space at {@code location} and the newest backup of {@code deployment} there (its
     * stored size is the estimate of the next one: compressed backups store less than they need
     * free while draining, see the backup's space check).
     */
    public SpaceReport space(String location, String deployment) throws StoreException {
        StorageRegistry.Located located = app.storage().locate(location);
        java.util.Optional<BackupSummary> newest = java.util.Optional.empty();
        for (String name : namesAt(location, located)) {
            BackupSummary summary = summarize(located.store(), name);
            if (deployment.equals(summary.deployment())
                    && newest.map(n -> summary.time().isAfter(n.time())).orElse(true)) {
                newest = java.util.Optional.of(summary);
            }
        }
        return new SpaceReport(located.store().location(), located.store().freeSpace(), newest);
    }

    /** Every backup at {@code location} (or the one it names), oldest first. */
    public List<BackupSummary> list(String location) throws StoreException {
        StorageRegistry.Located located = app.storage().locate(location);
        List<BackupSummary> summaries = new ArrayList<>();
        for (String name : namesAt(location, located)) {
            summaries.add(summarize(located.store(), name));
        }
        return summaries;
    }

    /**
     * Verifies every backup at {@code location} (or the one it names), reading each once and writing
     * nothing but, for a backup whose every file matched, the small {@link Verified} record that
     * {@code list} shows (unless {@code record} is false or the store is read-only).
     */
    public VerifyReport verify(String location, List<String> identityFiles, boolean record)
            throws StoreException, IOException {
        AgeIdentities identities = identityFiles.isEmpty() ? AgeIdentities.none()
                : AgeIdentities.readFiles(identityFiles.stream()
                        .map(f -> app.environment().workingDirectory().resolve(f)).toList());
        StorageRegistry.Located located = app.storage().locate(location);
        List<VerifyResult> results = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String name : namesAt(location, located)) {
            VerifyResult result;
            try {
                result = BackupInspector.verify(located.store().open(name), identities);
            } catch (StoreException e) {
                result = new VerifyResult(name, VerifyResult.Verdict.FAILED, List.of(e.getMessage()), 0, 0, 0);
            }
            if (record && result.verdict() == VerifyResult.Verdict.VERIFIED) {
                recordVerified(located.store(), result).ifPresent(warnings::add);
            }
            results.add(result);
        }
        return new VerifyReport(results, warnings);
    }

    /**
     * Every backup's verdict, and what could not be recorded (a read-only store is verified all the same).
     */
    public record VerifyReport(List<VerifyResult> results, List<String> warnings) {}

    /**
     * Applies a retention plan to the store at {@code location}, per deployment; with {@code dryRun}
     * only decides. Deletion goes on past a backup that cannot be deleted, which is reported.
     */
    public PruneResult prune(String location, RetentionPlanner planner, boolean dryRun) throws StoreException {
        StorageRegistry.Located located = app.storage().locate(location);
        if (located.isBackup()) {
            throw new StoreException(StoreException.Reason.NOT_A_DIRECTORY, location
                    + " is one backup; give the directory that holds the backups to prune");
        }
        ArtifactStore store = located.store();
        List<BackupRef> refs = new ArrayList<>();
        for (String name : backupsIn(location)) {
            BackupSummary summary = summarize(store, name);
            refs.add(new BackupRef(summary.deployment(), name, summary.time(),
                    summary.state() != BackupState.INCOMPLETE));
        }
        RetentionPlan plan = planner.plan(refs, app.environment().clock().instant());
        List<String> deleted = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        if (!dryRun) {
            for (RetentionDecision decision : plan.decisions()) {
                if (decision.delete()) {
                    try {
                        store.delete(decision.backup().name());
                        deleted.add(decision.backup().name());
                    } catch (StoreException e) {
                        failures.add("cannot delete " + decision.backup().name() + ": " + e.getMessage());
                    }
                }
            }
        }
        int abortedUploads = 0;
        if (!dryRun && store instanceof StaleUploads uploads) {
            try {
                abortedUploads = uploads.abortStaleUploads(planner.incompleteGrace());
            } catch (StoreException e) {
                failures.add("cannot abort unfinished uploads: " + e.getMessage());
            }
        }
        return new PruneResult(store.location(), plan, dryRun, deleted, failures, abortedUploads);
    }

    /**
     * Where the backup {@code backupName} of the store at {@code storeLocation} is, as {@code verify} and
     * {@code restore} take it. Every store names a backup as its location plus {@code /<name>}: a local
     * directory, {@code s3://bucket/prefix/<name>}.
     */
    public static String locationOf(String storeLocation, String backupName) {
        if (storeLocation.isEmpty()) {
            return backupName;
        }
        return storeLocation.endsWith("/") ? storeLocation + backupName : storeLocation + "/" + backupName;
    }

    /** A whole backup as one stream, and back: see {@link BackupArchive}. */
    public BackupArchive archive() {
        return new BackupArchive(app);
    }

    /**
     * Copies one complete backup to another location under the same name, checked on the way and where
     * it lands ({@code bbr artifacts copy}); a copy that does not check out is removed again.
     */
    public Copied copy(String source, String destination, dev.bbr.artifacts.store.Layout layout) throws IOException {
        return new BackupCopy(app).copy(source, destination, layout);
    }

    /**
     * A finished copy.
     *
     * @param check the copy as it landed, against its sidecar (or, for a Go bbr backup, every file against
     *              the metadata); when it did not pass, the copy was deleted
     */
    public record Copied(String source, String destination, String name, long bytes, VerifyResult check) {}

    /** Removes the run lock of {@code deployment} (null: every lock) in the store at {@code location}. */
    public List<String> unlock(String location, String deployment) throws StoreException {
        return app.storage().store(location).unlock(deployment);
    }

    /**
     * What {@code prune} decided and did.
     *
     * @param deleted  the backups removed (none for a dry run)
     * @param failures one line per backup that should have been removed and was not
     * @param abortedUploads unfinished uploads of dead runs aborted (S3 multipart uploads older than the grace)
     */
    public record PruneResult(String location, RetentionPlan plan, boolean dryRun, List<String> deleted,
            List<String> failures, int abortedUploads) {}

    private List<String> namesAt(String location, StorageRegistry.Located located) throws StoreException {
        return located.isBackup() ? List.of(located.backup()) : backupsIn(location);
    }

    /**
     * The backups in the store at {@code location}, in either layout: a remote store may hold flat and
     * dated backups side by side ({@code --layout} only decides where new ones go).
     */
    List<String> backupsIn(String location) throws StoreException {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (dev.bbr.artifacts.store.Layout layout : dev.bbr.artifacts.store.Layout.values()) {
            names.addAll(app.storage(layout, app.environment().clock()).store(location).backups());
        }
        return List.copyOf(names);
    }

    private static BackupSummary summarize(ArtifactStore store, String name) {
        try {
            BackupSource backup = store.open(name);
            return BackupInspector.summarize(backup);
        } catch (IOException e) {
            return new BackupSummary(name, BbrLayout.deploymentOf(name).orElse(name),
                    BbrLayout.timeOf(name).orElse(Instant.EPOCH), 0, BackupState.INCOMPLETE, "?", e.getMessage());
        }
    }

    /** Leaves the record of a passed deep verify; says why not when the store refuses it. */
    private java.util.Optional<String> recordVerified(ArtifactStore store, VerifyResult result) {
        Verified verified = new Verified(app.environment().clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                "bbr-java " + app.environment().bbrVersion(), result.artifacts(), result.files());
        try {
            store.annotate(result.backup(), Verified.FILE_NAME, verified.toJson());
            return java.util.Optional.empty();
        } catch (StoreException e) {
            return java.util.Optional.of(result.backup() + " was verified, but that could not be recorded: "
                    + e.getMessage());
        }
    }
}
