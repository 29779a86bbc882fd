package dev.bbr.artifacts.validate;

import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.InstanceMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One artifact the metadata promises, and its checksums. */
record ExpectedArtifact(ArtifactId id, Map<String, String> checksums) {

    /** The tar's name, for messages. */
    String fileName() {
        return BbrLayout.fileName(id);
    }

    static List<ExpectedArtifact> listedIn(BackupMetadata metadata) {
        List<ExpectedArtifact> expected = new ArrayList<>();
        for (InstanceMetadata instance : metadata.instances()) {
            for (ArtifactChecksums artifact : instance.artifacts()) {
                expected.add(new ExpectedArtifact(ArtifactId.of(instance.name(), instance.index(), artifact.name()),
                        artifact.checksums()));
            }
        }
        for (ArtifactChecksums custom : metadata.customArtifacts()) {
            expected.add(new ExpectedArtifact(ArtifactId.custom(custom.name()), custom.checksums()));
        }
        return expected;
    }
}
