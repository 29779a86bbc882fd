package dev.bbr.artifacts.validate;

import dev.bbr.artifacts.store.ArtifactId;
import java.util.Optional;

/**
 * A backup source that also checks each stored file against a record of its own (bbr for Java's
 * sidecar) while the validator reads it. The validator asks after bbr's checks of the contents, so
 * bbr's messages come first and this adds what they cannot see (a changed tar header, trailing bytes).
 */
public interface StoredFileChecks {

    /** Why the stored file of {@code id} differs from its record, once it has been read; empty if it matched. */
    Optional<String> storedFileMismatch(ArtifactId id);
}
