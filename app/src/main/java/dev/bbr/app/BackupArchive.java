package dev.bbr.app;

import dev.bbr.artifacts.atrest.BackupInspector;
import dev.bbr.artifacts.atrest.Sidecar;
import dev.bbr.artifacts.atrest.VerifyResult;
import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataReader;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A whole backup as one tar stream, to move it between stores through a single HTTP request (the
 * service's download and upload): every file as stored (encrypted artifacts stay encrypted), under
 * {@code <backup name>/}, in the order {@code metadata}, {@code bbr-sidecar.json} (when there is one),
 * the artifacts, {@code manifest.yml}. Reading it back needs that order: the metadata says which
 * artifacts there are and the sidecar how they are stored. Nothing is buffered but the small files.
 */
public final class BackupArchive {
    /** Small files that travel with a backup besides metadata and sidecar (the verify record does not). */
    private static final List<String> EXTRA_FILES = List.of("manifest.yml");

    private final BbrApp app;

    BackupArchive(BbrApp app) {
        this.app = app;
    }

    /** Writes the backup {@code backupName} of the store at {@code storeLocation} to {@code out}. */
    public void export(String storeLocation, String backupName, OutputStream out) throws IOException {
        BackupSource backup = app.storage().store(storeLocation).open(backupName);
        byte[] metadataBytes = backup.readFile(BbrLayout.METADATA_FILE).orElseThrow(() -> new StoreException(
                StoreException.Reason.NOT_FOUND, backupName + " has no metadata: it is not a finished backup"));
        BackupMetadata metadata = new MetadataReader().read(metadataBytes);
        Optional<byte[]> sidecarBytes = backup.readFile(Sidecar.FILE_NAME);
        String suffix = suffixOf(sidecarBytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        writeSmall(tar, backupName, BbrLayout.METADATA_FILE, metadataBytes);
        if (sidecarBytes.isPresent()) {
            writeSmall(tar, backupName, Sidecar.FILE_NAME, sidecarBytes.get());
        }
        for (ArtifactId id : BackupInspector.artifactIds(metadata)) {
            TarArchiveEntry entry = new TarArchiveEntry(backupName + "/" + BbrLayout.fileName(id, suffix));
            entry.setSize(backup.storedSize(id, suffix));
            tar.putArchiveEntry(entry);
            try (InputStream in = backup.openArtifact(id, suffix)) {
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
        }
        for (String name : EXTRA_FILES) {
            Optional<byte[]> content = backup.readFile(name);
            if (content.isPresent()) {
                writeSmall(tar, backupName, name, content.get());
            }
        }
        tar.finish();
        tar.flush();
    }

    /**
     * Reads a stream {@link #export} wrote into a new backup of the same deployment in the store at
     * {@code storeLocation} (named with the current time, as every new backup), then checks every
     * stored file against its record. A backup that fails the check, or a broken stream, leaves
     * nothing: what was written is deleted.
     */
    public Imported importInto(String storeLocation, InputStream in) throws IOException {
        ArtifactStore store = app.storage().store(storeLocation);
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry first = tar.getNextEntry();
        if (first == null || !first.getName().endsWith("/" + BbrLayout.METADATA_FILE)) {
            throw new IOException("not a backup archive: it must start with <backup name>/metadata");
        }
        String originalName = first.getName().substring(0, first.getName().indexOf('/'));
        String deployment = BbrLayout.deploymentOf(originalName).orElseThrow(() -> new IOException(
                "not a backup archive: " + originalName + " is not a backup name (<deployment>_<YYYYMMDDTHHMMSSZ>)"));
        byte[] metadataBytes = tar.readAllBytes();
        BackupMetadata metadata = new MetadataReader().read(metadataBytes);
        BackupDestination destination = store.createBackup(deployment);
        String name = nameOf(destination);
        try {
            copyEntries(tar, originalName, metadata, destination);
            destination.writeMetadata(metadata);
            destination.markComplete();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(store, name);
            throw e;
        }
        VerifyResult check = BackupInspector.verify(store.open(name), AgeIdentities.none());
        if (check.verdict() == VerifyResult.Verdict.FAILED) {
            deleteQuietly(store, name);
        }
        return new Imported(originalName, name, check);
    }

    /**
     * An uploaded backup.
     *
     * @param originalName the backup's name in the archive
     * @param name         its name in the store (deleted again when {@code check} failed)
     * @param check        every stored file against the sidecar (and, for a plain backup, every file
     *                     against the metadata)
     */
    public record Imported(String originalName, String name, VerifyResult check) {
        public boolean accepted() {
            return check.verdict() != VerifyResult.Verdict.FAILED;
        }
    }

    private static void copyEntries(TarArchiveInputStream tar, String originalName, BackupMetadata metadata,
            BackupDestination destination) throws IOException {
        Map<String, ArtifactId> artifacts = new HashMap<>();
        String suffix = "";
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            if (entry.isDirectory()) {
                continue;
            }
            String prefix = originalName + "/";
            if (!entry.getName().startsWith(prefix) || entry.getName().indexOf('/', prefix.length()) >= 0) {
                throw new IOException("not a backup archive: " + entry.getName() + " is not a file of " + originalName);
            }
            String file = entry.getName().substring(prefix.length());
            if (file.equals(Sidecar.FILE_NAME)) {
                byte[] sidecar = tar.readAllBytes();
                suffix = suffixOf(Optional.of(sidecar));
                destination.writeFile(Sidecar.FILE_NAME, sidecar);
                artifacts.clear();
                continue;
            }
            if (artifacts.isEmpty()) {
                for (ArtifactId id : BackupInspector.artifactIds(metadata)) {
                    artifacts.put(BbrLayout.fileName(id, suffix), id);
                }
            }
            ArtifactId id = artifacts.get(file);
            if (id != null) {
                ArtifactOutput out = destination.openArtifact(id, suffix);
                try {
                    tar.transferTo(out);
                } catch (IOException | RuntimeException e) {
                    out.abort();
                    throw e;
                }
                out.close();
            } else if (EXTRA_FILES.contains(file)) {
                destination.writeFile(file, tar.readAllBytes());
            } else {
                throw new IOException("not a backup archive: " + file + " is not an artifact its metadata lists");
            }
        }
    }

    private static String suffixOf(Optional<byte[]> sidecar) throws IOException {
        if (sidecar.isEmpty()) {
            return "";
        }
        return ArtifactCodec.fromDescription(Sidecar.parse(sidecar.get()).codec().description()).suffix();
    }

    private static String nameOf(BackupDestination destination) {
        String location = destination.location();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static void writeSmall(TarArchiveOutputStream tar, String backupName, String file, byte[] content)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(backupName + "/" + file);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void deleteQuietly(ArtifactStore store, String name) {
        try {
            store.delete(name);
        } catch (StoreException e) {
            // nothing more to do: the backup stays marked incomplete (or failed its check) and prune removes it
        }
    }
}
