package dev.bbr.artifacts.destination;

import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.MetadataException;
import dev.bbr.artifacts.metadata.MetadataReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** A backup directory on local disk, as written by Go bbr or by {@link LocalDirectoryDestination}. */
public final class LocalDirectorySource implements BackupSource {
    private final Path directory;

    private LocalDirectorySource(Path directory) {
        this.directory = directory;
    }

    /** Restore's {@code --artifact-path} is the backup directory itself. */
    public static LocalDirectorySource open(Path directory) throws ArtifactStoreException {
        String prefix = "Could not open backup: failed opening the directory: ";
        if (!Files.exists(directory)) {
            throw new ArtifactStoreException(prefix + "stat " + directory + ": no such file or directory");
        }
        if (!Files.isDirectory(directory)) {
            throw new ArtifactStoreException(prefix + directory + " is not a directory");
        }
        return new LocalDirectorySource(directory);
    }

    @Override
    public BackupMetadata readMetadata() throws IOException {
        Path file = directory.resolve(LocalDirectoryDestination.METADATA_FILE);
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
    public InputStream openArtifact(String fileName) throws IOException {
        return Files.newInputStream(resolve(fileName));
    }

    @Override
    public boolean exists(String fileName) {
        return Files.isRegularFile(resolve(fileName));
    }

    @Override
    public long size(String fileName) throws IOException {
        return Files.size(resolve(fileName));
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
    public Path location() {
        return directory;
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    private Path resolve(String fileName) {
        return directory.resolve(FileNames.requirePlain(fileName));
    }
}
