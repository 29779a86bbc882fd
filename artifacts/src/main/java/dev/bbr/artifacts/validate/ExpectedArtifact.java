package dev.bbr.artifacts.validate;

import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.InstanceMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One tar the metadata promises: its file name, how bbr names its owner in messages, and its checksums. */
record ExpectedArtifact(String fileName, String owner, String job, Map<String, String> checksums, boolean custom) {

    static List<ExpectedArtifact> listedIn(BackupMetadata metadata) {
        List<ExpectedArtifact> expected = new ArrayList<>();
        for (InstanceMetadata instance : metadata.instances()) {
            for (ArtifactChecksums artifact : instance.artifacts()) {
                expected.add(new ExpectedArtifact(instance.artifactFileName(artifact.name()),
                        instance.name() + "/" + instance.index(), artifact.name(), artifact.checksums(), false));
            }
        }
        for (ArtifactChecksums custom : metadata.customArtifacts()) {
            expected.add(new ExpectedArtifact(custom.name() + ".tar", "custom artifact", custom.name(),
                    custom.checksums(), true));
        }
        return expected;
    }
}
