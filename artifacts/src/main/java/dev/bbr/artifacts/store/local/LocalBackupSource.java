package dev.bbr.artifacts.store.local;

import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataException;
import dev.bbr.artifacts.metadata.MetadataReader;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.IncompleteMarker;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** A backup directory on local disk, as written by Go bbr or by {@link LocalBackupDestination}. */
final class LocalBackupSource implements BackupSource {
    private final Path directory;

    private LocalBackupSource(Path directory) {
        this.directory = directory;
    }

    /** Restore's {@code --artifact-path} is the backup directory itself. */
    static LocalBackupSource open(Path directory) throws StoreException {
        String prefix = "Could not open backup: failed opening the directory: ";
        if (!Files.exists(directory)) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, prefix + "stat " + directory
                    + ": no such file or directory");
        }
        if (!Files.isDirectory(directory)) {
            throw new StoreException(StoreException.Reason.NOT_A_DIRECTORY, prefix + directory + " is not a directory");
        }
        return new LocalBackupSource(directory);
    }

    @Override
    public BackupMetadata readMetadata() throws IOException {
        Path file = directory.resolve(BbrLayout.METADATA_FILE);
        try {
            return new MetadataReader().read(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new MetadataException("open " + file + ": no such file or directory", e);
        } catch (MetadataException e) {
            throw e;
        } catch (IOException e) {
            throw new MetadataException(e.toString(), e);
        }
    }

    @Override
    public InputStream openArtifact(ArtifactId id, String storedSuffix) throws IOException {
        return Files.newInputStream(existing(id, storedSuffix));
    }

    @Override
    public long storedSize(ArtifactId id, String storedSuffix) throws IOException {
        return Files.size(existing(id, storedSuffix));
    }

    @Override
    public Optional<byte[]> readFile(String name) throws IOException {
        Path file = directory.resolve(BbrLayout.requirePlain(name));
        return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public String name() {
        return directory.getFileName().toString();
    }

    @Override
    public Optional<String> incompleteReason() throws IOException {
        Path marker = directory.resolve(IncompleteMarker.FILE_NAME);
        if (!Files.exists(marker)) {
            return Optional.empty();
        }
        return Optional.of(IncompleteMarker.describe(Files.readAllBytes(marker)));
    }

    @Override
    public String location() {
        return directory.toString();
    }

    private Path existing(ArtifactId id, String storedSuffix) throws StoreException {
        Path file = directory.resolve(BbrLayout.fileName(id, storedSuffix));
        if (!Files.isRegularFile(file)) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "open " + file + ": no such file or directory");
        }
        return file;
    }
}
