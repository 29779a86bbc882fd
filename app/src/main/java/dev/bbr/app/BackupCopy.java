package dev.bbr.app;

import dev.bbr.artifacts.atrest.AtRestSource;
import dev.bbr.artifacts.atrest.BackupInspector;
import dev.bbr.artifacts.atrest.BackupState;
import dev.bbr.artifacts.atrest.BackupSummary;
import dev.bbr.artifacts.atrest.Sidecar;
import dev.bbr.artifacts.atrest.VerifyResult;
import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataReader;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * {@code bbr artifacts copy SOURCE DESTINATION}: one complete backup, from any location to any other
 * (a second region, off the jumpbox), under the same name. Stored files are copied as they are
 * (an encrypted backup stays encrypted; no key is needed) and checked on the way against the sidecar;
 * the copy is then checked where it landed, and removed again if it does not match.
 */
final class BackupCopy {
    /** Small files that travel with a backup besides metadata and sidecar (a verify record does not). */
    private static final List<String> EXTRA_FILES = List.of("manifest.yml");

    private final BbrApp app;

    BackupCopy(BbrApp app) {
        this.app = app;
    }

    ArtifactTools.Copied copy(String source, String destinationRoot, Layout layout) throws IOException {
        StorageRegistry.Located from = app.storage().locate(source);
        if (!from.isBackup()) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, source + " is not one backup (no metadata"
                    + " there); give the backup itself, e.g. " + source + "/<deployment>_<YYYYMMDDTHHMMSSZ>");
        }
        String name = from.backup();
        BackupSource backup = from.store().open(name);
        BackupSummary summary = BackupInspector.summarize(backup);
        if (summary.state() == BackupState.INCOMPLETE) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, name + " is incomplete ("
                    + summary.detail() + "); only a complete backup is copied");
        }
        Instant time = BbrLayout.timeOf(name).orElseThrow(() -> new StoreException(StoreException.Reason.NOT_FOUND,
                name + " is not a backup name (<deployment>_<YYYYMMDDTHHMMSSZ>)"));
        // the destination names the copy from this clock: the same name as the original
        ArtifactStore target = app.storage(layout, Clock.fixed(time, ZoneOffset.UTC)).store(destinationRoot);
        if (app.artifacts().backupsIn(destinationRoot).contains(name)) {
            throw new StoreException(StoreException.Reason.CREATE_FAILED, destinationRoot + " already holds " + name
                    + "; nothing was copied");
        }
        BackupDestination copy = target.createBackup(summary.deployment());
        String created = lastSegment(copy.location());
        if (!created.equals(name)) {
            // the name was taken while we looked (another copy running): leave theirs alone
            copy.markFailed("a copy of " + name + " was already being written");
            deleteQuietly(target, created);
            throw new StoreException(StoreException.Reason.CREATE_FAILED, destinationRoot + " already holds " + name
                    + " (another copy is being written); nothing was copied");
        }
        long bytes;
        try {
            bytes = copyFiles(backup, copy);
            copy.markComplete();
        } catch (IOException | RuntimeException e) {
            copy.markFailed("the copy from " + source + " failed: " + e.getMessage());
            deleteQuietly(target, name);
            throw e;
        }
        VerifyResult check = BackupInspector.verify(target.open(name), AgeIdentities.none());
        if (!check.passed()) {
            deleteQuietly(target, name);
        }
        return new ArtifactTools.Copied(source, target.location(), name, bytes, check);
    }

    /** Artifacts first, then the extra files and metadata, the sidecar last: as a backup is written. */
    private static long copyFiles(BackupSource backup, BackupDestination copy) throws IOException {
        byte[] metadataBytes = backup.readFile(BbrLayout.METADATA_FILE).orElseThrow(() -> new StoreException(
                StoreException.Reason.NOT_FOUND, backup.name() + " has no metadata"));
        BackupMetadata metadata = new MetadataReader().read(metadataBytes);
        Optional<byte[]> sidecar = backup.readFile(Sidecar.FILE_NAME);
        AtRestSource stored = AtRestSource.open(backup, AgeIdentities.none());
        String suffix = stored.codec().suffix();
        long bytes = 0;
        for (ArtifactId id : BackupInspector.artifactIds(metadata)) {
            ArtifactOutput out = copy.openArtifact(id, suffix);
            // with a sidecar the stored bytes are checked against it as they pass (a mismatch fails the read)
            try (InputStream in = sidecar.isPresent() ? stored.openStored(id) : backup.openArtifact(id, "")) {
                bytes += in.transferTo(out);
            } catch (IOException | RuntimeException e) {
                out.abort();
                throw e;
            }
            out.close();
        }
        for (String name : EXTRA_FILES) {
            Optional<byte[]> content = backup.readFile(name);
            if (content.isPresent()) {
                copy.writeFile(name, content.get());
            }
        }
        copy.writeMetadata(metadata);
        if (sidecar.isPresent()) {
            copy.writeFile(Sidecar.FILE_NAME, sidecar.get());
        }
        return bytes;
    }

    private static String lastSegment(String location) {
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
    }

    private static void deleteQuietly(ArtifactStore store, String name) {
        try {
            store.delete(name);
        } catch (StoreException e) {
            // it stays marked incomplete (or fails its check); prune removes it
        }
    }
}
