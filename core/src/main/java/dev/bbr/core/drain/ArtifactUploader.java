package dev.bbr.core.drain;

import dev.bbr.core.errors.Failures;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.tar.ChecksumComparison;
import dev.bbr.artifacts.tar.RemoteSha256Output;
import dev.bbr.artifacts.tar.TarChecksums;
import dev.bbr.artifacts.tar.TarHashingInputStream;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.event.ArtifactVerified;
import dev.bbr.core.event.TransferStarted;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.Instance;
import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.InstanceCommands;
import dev.bbr.core.remote.RemoteException;
import dev.bbr.core.remote.RemoteShell;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Sends one artifact to its instance for restore: the local tar streams into {@code sudo tar -x}
 * over the instance's connection, hashed as it is sent; then the extracted files are hashed on
 * the instance. Both must equal the metadata.
 */
public final class ArtifactUploader {
    private final BackupSource source;
    private final ProgressReporter progress;
    private final Log log;

    private final String runId;

    /** @param runId tags the remote tar so that a cancelled run can stop it */
    public ArtifactUploader(BackupSource source, ProgressReporter progress, Log log, String runId) {
        this.runId = runId;
        this.source = source;
        this.progress = progress;
        this.log = log;
    }

    /**
     * @param artifact  the artifact in the backup
     * @param remoteDir where the restore script will find it
     * @param expected  the metadata's checksums for this artifact
     */
    public List<BbrError> upload(Instance instance, String job, ArtifactId artifact, String remoteDir,
            Map<String, String> expected) {
        String label = instance.identifier();
        RemoteShell shell = instance.shell();
        try {
            long size = source.plaintextSize(artifact);
            String fileName = BbrLayout.fileName(artifact);
            // bbr names the instance by its index here, by its id everywhere else
            String byIndex = instance.group() + "/" + instance.index();
            log.emit(new TransferStarted("restore", job, label, fileName, size, "Copying backup -- "
                    + HumanSize.ofDiskUsage(size) + " uncompressed -- for job " + job + " on " + byIndex + "..."));
            ExecResult mkdir = shell.run(InstanceCommands.makeDirectory(remoteDir));
            if (!mkdir.succeeded()) {
                return fail("Creating backup directory on the remote failed: " + mkdir.failureText());
            }
            log.debug("Streaming backup to instance " + label);
            ProgressReporter.Tracker tracker = progress.start("restore", job, label, size);
            ExecResult extracted;
            TarChecksums sentChecksums;
            boolean sent = false;
            try (InputStream local = source.openArtifact(artifact)) {
                TarHashingInputStream hashed = new TarHashingInputStream(local, tracker::update);
                extracted = shell.upload(InstanceCommands.untarFromStdin(remoteDir, runId), hashed);
                if (!extracted.succeeded()) {
                    return fail("Unable to send backup to remote machine. Got error: " + extracted.failureText());
                }
                // what the instance's tar read, whenever it stopped: it may exit at the end-of-archive
                // blocks before the local padding was read, so this never asks for checksums too early
                sentChecksums = hashed.checksumsAfterReaderStopped();
                sent = true;
            } finally {
                tracker.finish(sent);
            }
            ChecksumComparison asSent = ChecksumComparison.compare(expected, sentChecksums.checksums());
            if (!asSent.matches()) {
                return fail(asSent.corruptionMessage(label, job));
            }
            ExecResult remote = shell.run(InstanceCommands.checksums(remoteDir));
            if (!remote.succeeded()) {
                return fail("Unable to calculate backup checksum: " + remote.failureText());
            }
            ChecksumComparison arrived = ChecksumComparison.compare(expected,
                    RemoteSha256Output.parse(remote.stdout()));
            if (!arrived.matches()) {
                return fail(arrived.transferMessage(label, job));
            }
            log.emit(new ArtifactVerified("restore", job, label, fileName, sentChecksums.bytesCopied(),
                    sentChecksums.checksums().size(), ChecksumSetDigest.of(sentChecksums.checksums()),
                    "Finished copying backup for job " + job + " on " + byIndex + "."));
            return List.of();
        } catch (IOException | RemoteException | RuntimeException e) {
            return fail("Unable to send backup to remote machine. Got error: " + Failures.describe(e));
        }
    }

    private static List<BbrError> fail(String message) {
        return List.of(BbrError.of(ErrorKind.RESTORE, message));
    }
}
