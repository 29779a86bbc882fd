package dev.bbr.artifacts.validate;

import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.tar.ChecksumComparison;
import dev.bbr.artifacts.tar.ChecksummingTarCopier;
import dev.bbr.artifacts.tar.TarChecksums;
import dev.bbr.artifacts.validate.ValidationProblem.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Restore's offline check, before anything touches the Director or a VM: the metadata parses, every
 * tar it lists exists, each tar's per-file SHA-256 map equals the metadata's, and no entry could
 * escape the extraction directory. Each tar is read once, streaming.
 *
 * <p>Accepts Go bbr backups as they are (GNU tar, {@code ./} keys, local-time activity, custom
 * artifacts, no activity at all). Tars not listed in the metadata are ignored, as in bbr.
 */
public final class ArtifactValidator {
    private static final int NAMES_IN_MESSAGE = 10;

    private final ChecksummingTarCopier copier = new ChecksummingTarCopier();

    /** @return every problem found; empty means the backup may be restored. */
    public List<ValidationProblem> validate(BackupSource source) {
        List<ValidationProblem> problems = new ArrayList<>();
        try {
            source.incompleteReason().ifPresent(reason -> problems.add(new ValidationProblem(Kind.INCOMPLETE_BACKUP,
                    null, "Backup is incomplete and must not be restored (" + reason + ")")));
        } catch (IOException e) {
            problems.add(new ValidationProblem(Kind.INCOMPLETE_BACKUP, null,
                    "Could not validate backup: cannot read the incomplete-backup marker: " + e.getMessage()));
        }
        BackupMetadata metadata;
        try {
            metadata = source.readMetadata();
        } catch (IOException e) {
            problems.add(new ValidationProblem(Kind.METADATA_UNREADABLE, null, e.getMessage()));
            return problems;
        }
        for (ExpectedArtifact artifact : ExpectedArtifact.listedIn(metadata)) {
            validateArtifact(source, artifact, problems);
        }
        return problems;
    }

    /** All problem messages, one per line, for an error report. */
    public static String describe(List<ValidationProblem> problems) {
        return problems.stream().map(ValidationProblem::message).collect(Collectors.joining("\n"));
    }

    private void validateArtifact(BackupSource source, ExpectedArtifact artifact, List<ValidationProblem> problems) {
        String file = artifact.fileName();
        TarChecksums actual;
        try (InputStream in = source.openArtifact(artifact.id())) {
            actual = copier.copy(in, OutputStream.nullOutputStream());
        } catch (StoreException e) {
            // bbr hashes a missing custom artifact as an empty map, which passes when nothing was recorded.
            boolean missing = e.reason() == StoreException.Reason.NOT_FOUND;
            if (missing && artifact.id().isCustom() && artifact.checksums().isEmpty()) {
                return;
            }
            problems.add(new ValidationProblem(missing ? Kind.ARTIFACT_MISSING : Kind.ARTIFACT_UNREADABLE, file,
                    "Could not validate backup: Error calculating checksum for artifact: " + e.getMessage()));
            return;
        } catch (IOException e) {
            problems.add(new ValidationProblem(Kind.ARTIFACT_UNREADABLE, file,
                    "Could not validate backup: Error calculating checksum for artifact: " + file + ": " + e.getMessage()));
            return;
        }
        int before = problems.size();
        checkContent(artifact, actual, problems);
        checkSafety(file, actual, problems);
        if (problems.size() == before && source instanceof StoredFileChecks stored) {
            stored.storedFileMismatch(artifact.id()).ifPresent(mismatch -> problems.add(new ValidationProblem(
                    Kind.STORED_FILE_MISMATCH, file, "Backup is corrupted, " + mismatch)));
        }
    }

    private static void checkContent(ExpectedArtifact artifact, TarChecksums actual, List<ValidationProblem> problems) {
        String file = artifact.fileName();
        switch (actual.status()) {
            case MALFORMED -> problems.add(new ValidationProblem(Kind.MALFORMED_ARCHIVE, file,
                    "Backup is corrupted, " + file + " is " + actual.statusDetail().orElse("not a complete tar archive")));
            case UNAVAILABLE -> problems.add(new ValidationProblem(Kind.VERIFICATION_UNAVAILABLE, file,
                    "Could not validate backup: checksums of " + file + " cannot be computed: "
                            + actual.statusDetail().orElse("unsupported tar features")));
            case VERIFIED -> {
                ChecksumComparison comparison = ChecksumComparison.compare(artifact.checksums(), actual.checksums());
                if (!comparison.matches()) {
                    problems.add(new ValidationProblem(Kind.CHECKSUM_MISMATCH, file,
                            comparison.corruptionMessage(artifact.id().owner(), artifact.id().name())));
                }
            }
        }
    }

    private static void checkSafety(String file, TarChecksums actual, List<ValidationProblem> problems) {
        Map<String, String> unsafe = actual.unsafeEntries();
        if (unsafe.isEmpty()) {
            return;
        }
        List<String> shown = unsafe.entrySet().stream().limit(NAMES_IN_MESSAGE)
                .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        problems.add(new ValidationProblem(Kind.UNSAFE_ENTRY, file,
                "Backup is corrupted, " + file + " contains entries that must not be extracted: ["
                        + String.join(" ", shown) + "]. " + unsafe.size() + " unsafe entries in total"));
    }
}
