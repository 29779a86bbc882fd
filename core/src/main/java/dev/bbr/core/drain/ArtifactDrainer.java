package dev.bbr.core.drain;

import dev.bbr.core.errors.Failures;
import dev.bbr.core.event.ArtifactVerified;
import dev.bbr.core.event.TransferStarted;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.tar.ChecksumComparison;
import dev.bbr.artifacts.tar.ChecksummingTarCopier;
import dev.bbr.artifacts.tar.RemoteSha256Output;
import dev.bbr.artifacts.tar.TarChecksums;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Instance;
import dev.bbr.core.model.Job;
import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.InstanceCommands;
import dev.bbr.core.remote.RemoteException;
import dev.bbr.core.remote.RemoteShell;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Moves one job's artifact from its instance to the destination and verifies it.
 *
 * <p>Better than bbr: the tar is hashed as its bytes pass (never re-read from disk), and the remote
 * checksums are computed on a second session of the same connection while the stream runs, with
 * a NUL-safe command, so odd file names verify and the connection never idles for long.
 */
public final class ArtifactDrainer {
    private final BackupDestination destination;
    private final MetadataRecorder metadata;
    private final ProgressReporter progress;
    private final Log log;
    private final String runId;
    private final Workers workers;
    private final ArtifactSizes sizes;
    private final ArtifactRootRemoval removal;

    /**
     * @param runId   tags the tar command so that a cancelled run can stop it
     * @param workers runs each drain's remote checksum session beside its stream
     */
    public ArtifactDrainer(BackupDestination destination, MetadataRecorder metadata, ProgressReporter progress,
            Log log, String runId, Workers workers) {
        this(destination, metadata, progress, log, runId, workers, new ArtifactSizes(String.valueOf(runId)),
                new ArtifactRootRemoval(i -> { }));
    }

    /**
     * @param sizes   sizes the backup step measured; an artifact without one is measured here
     * @param removal what a verified artifact's removal takes: its directory, or for the last one of
     *                an instance the whole root
     */
    public ArtifactDrainer(BackupDestination destination, MetadataRecorder metadata, ProgressReporter progress,
            Log log, String runId, Workers workers, ArtifactSizes sizes, ArtifactRootRemoval removal) {
        this.sizes = sizes;
        this.removal = removal;
        this.runId = runId;
        this.workers = workers;
        this.destination = destination;
        this.metadata = metadata;
        this.progress = progress;
        this.log = log;
    }

    /**
     * The artifact's size: measured by the backup step's session, or here with bbr's own command
     * (and its error messages) when that reported none.
     */
    public long size(Instance instance, Job job) throws RemoteException, DrainFailure {
        OptionalLong measured = sizes.of(instance, job);
        if (measured.isPresent()) {
            return measured.getAsLong();
        }
        log.debug("Calculating size of backup on " + instance.identifier());
        long size = remoteSize(instance.shell(), instance.artifactDirectory(job), instance.identifier());
        sizes.put(instance, job, size);
        return size;
    }

    /** Counts an artifact {@link #drain} will be called for; call for all before the first drain. */
    public void expect(Instance instance) {
        removal.expect(instance);
    }

    /** Drains one artifact; returns its errors (empty on success). */
    public List<BbrError> drain(Instance instance, Job job) {
        boolean[] counted = {false};
        try {
            return drain(instance, job, counted);
        } finally {
            if (!counted[0]) {
                removal.finishedLast(instance);
            }
        }
    }

    private List<BbrError> drain(Instance instance, Job job, boolean[] counted) {
        String label = instance.identifier();
        String dir = instance.artifactDirectory(job);
        ArtifactId id = instance.artifactId(job);
        String subject = "for job " + job.name() + " on " + label;
        RemoteShell shell = instance.shell();
        try {
            long size = size(instance, job);
            log.emit(new TransferStarted("backup", job.name(), label, BbrLayout.fileName(id), size,
                    "Copying backup -- " + HumanSize.of(size) + " uncompressed -- " + subject + "..."));
            CompletableFuture<Map<String, String>> remoteChecksums =
                    CompletableFuture.supplyAsync(() -> remoteChecksums(shell, dir, label), workers.executor());
            TarChecksums local = stream(shell, dir, id, job.name(), size, label);
            log.info("Finished copying backup -- " + subject + "...");
            log.info("Starting validity checks -- " + subject + "...");
            Map<String, String> remote = join(remoteChecksums);
            if (!local.verified()) {
                return List.of(BbrError.of(ErrorKind.DRAIN, "Unable to calculate backup checksum: "
                        + local.statusDetail().orElse("the artifact could not be parsed as tar")));
            }
            log.debug("Comparing shasums");
            ChecksumComparison comparison = ChecksumComparison.compare(local.checksums(), remote);
            if (!comparison.matches()) {
                log.debug("Checksums didn't match for: " + comparison.failedNames());
                return List.of(BbrError.of(ErrorKind.DRAIN, comparison.corruptionMessage(label, job.name())));
            }
            record(id, local.checksums());
            log.debug("Deleting artifact directory on " + label);
            counted[0] = true;
            boolean wholeRoot = removal.finishedLast(instance) && removeRoot(shell, label);
            ExecResult removed = wholeRoot ? null : shell.run(InstanceCommands.remove(dir));
            if (removed != null && !removed.succeeded()) {
                return List.of(BbrError.of(ErrorKind.DRAIN, "Unable to delete artifact directory on instance "
                        + label + ": " + removed.failureText()));
            }
            if (wholeRoot) {
                removal.removed(instance);
            }
            log.emit(new ArtifactVerified("backup", job.name(), label, BbrLayout.fileName(id), local.bytesCopied(),
                    local.checksums().size(), ChecksumSetDigest.of(local.checksums()),
                    "Finished validity checks -- " + subject + "..."));
            return List.of();
        } catch (DrainFailure e) {
            return List.of(BbrError.of(ErrorKind.DRAIN, e.getMessage(), e.getCause()));
        } catch (RemoteException | IOException | RuntimeException e) {
            return List.of(BbrError.of(ErrorKind.DRAIN, "Error streaming backup from remote instance. Error: "
                    + Failures.describe(e), e));
        }
    }

    /**
     * The last artifact's removal takes the root. When that fails the artifact's own directory is
     * removed as bbr does, so the outcome is bbr's: a drain error only if that fails too, and
     * otherwise the cleanup's removal of the root reports the problem (exit 16).
     */
    private boolean removeRoot(RemoteShell shell, String label) {
        try {
            ExecResult removed = shell.run(InstanceCommands.removeArtifactRoot());
            if (removed.succeeded()) {
                return true;
            }
            log.debug("Removing the artifact root on " + label + " failed: " + removed.failureText());
        } catch (RemoteException e) {
            log.debug("Removing the artifact root on " + label + " failed: " + Failures.describe(e));
        }
        return false;
    }

    private long remoteSize(RemoteShell shell, String dir, String label) throws RemoteException, DrainFailure {
        ExecResult result = shell.run(InstanceCommands.sizeInBytes(dir));
        if (!result.succeeded()) {
            throw new DrainFailure("Unable to check size of " + dir + ": " + result.failureText(), null);
        }
        String first = result.stdoutText().trim().split("\\s+")[0];
        try {
            return Long.parseLong(first);
        } catch (NumberFormatException e) {
            throw new DrainFailure("Unable to check size of " + dir + " on " + label + ": expected " + first
                    + " to be a number of bytes", e);
        }
    }

    private TarChecksums stream(RemoteShell shell, String dir, ArtifactId id, String job, long size,
            String label) throws IOException, RemoteException, DrainFailure {
        log.debug("Trying to create file " + BbrLayout.fileName(id));
        ArtifactOutput out = destination.openArtifact(id);
        ProgressReporter.Tracker tracker = progress.start("backup", job, label, size);
        AtomicReference<TarChecksums> checksums = new AtomicReference<>();
        boolean committed = false;
        try {
            log.debug("Streaming backup from instance " + label);
            ExecResult result = shell.download(InstanceCommands.tarToStdout(dir, runId),
                    in -> checksums.set(new ChecksummingTarCopier().copy(in, out, tracker::update)));
            if (!result.succeeded()) {
                throw new DrainFailure("Error streaming backup from remote instance. Error: " + result.failureText(),
                        null);
            }
            out.close();
            committed = true;
            return checksums.get();
        } finally {
            tracker.finish(committed);
            if (!committed) {
                out.abort();
            }
        }
    }

    private Map<String, String> remoteChecksums(RemoteShell shell, String dir, String label) {
        log.debug("Calculating shasum for remote files on " + label);
        try {
            ExecResult result = shell.run(InstanceCommands.checksums(dir));
            if (!result.succeeded()) {
                throw new CompletionException(new DrainFailure("Unable to calculate backup checksum: "
                        + result.failureText(), null));
            }
            return RemoteSha256Output.parse(result.stdout());
        } catch (RemoteException e) {
            throw new CompletionException(new DrainFailure("Unable to calculate backup checksum: " + Failures.describe(e),
                    e));
        }
    }

    private static Map<String, String> join(CompletableFuture<Map<String, String>> future) throws DrainFailure {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DrainFailure failure) {
                throw failure;
            }
            throw new DrainFailure("Unable to calculate backup checksum: " + e.getCause(), e.getCause());
        }
    }

    private void record(ArtifactId id, Map<String, String> checksums) throws IOException {
        if (id.isCustom()) {
            metadata.addCustomArtifact(new ArtifactChecksums(id.customName(), checksums));
        } else {
            metadata.addInstanceArtifact(id.group(), id.index(), new ArtifactChecksums(id.job(), checksums));
        }
    }

    /** A drain failure whose message is already the operator-facing text. */
    public static final class DrainFailure extends Exception {
        private static final long serialVersionUID = 1L;

        DrainFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
