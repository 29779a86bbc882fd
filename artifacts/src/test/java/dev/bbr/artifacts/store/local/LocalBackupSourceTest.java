package dev.bbr.artifacts.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.metadata.MetadataException;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.StoreException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackupSourceTest {
    @TempDir
    Path dir;

    @Test
    void missingDirectoryGivesBbrsMessage() {
        Path missing = dir.resolve("i-am-not-here");
        assertThatThrownBy(() -> LocalBackupSource.open(missing))
                .isInstanceOf(StoreException.class)
                .hasMessage("Could not open backup: failed opening the directory: stat " + missing + ": no such file or directory");
    }

    @Test
    void readsArtifactsAndMetadata() throws Exception {
        Files.writeString(dir.resolve("metadata"), "instances:\n- name: bosh\n  index: \"0\"\n  artifacts: []\n");
        Files.write(dir.resolve("bosh-0-bosh.tar"), new byte[2560]);
        LocalBackupSource source = LocalBackupSource.open(dir);

        assertThat(source.readMetadata().instances()).singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("bosh"));
        ArtifactId bosh = ArtifactId.of("bosh", "0", "bosh");
        assertThat(source.plaintextSize(bosh)).isEqualTo(2560);
        try (InputStream in = source.openArtifact(bosh)) {
            assertThat(in.readAllBytes()).hasSize(2560);
        }
        assertThatThrownBy(() -> source.openArtifact(ArtifactId.custom("other")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason())
                        .isEqualTo(StoreException.Reason.NOT_FOUND))
                .hasMessage("open " + dir.resolve("other.tar") + ": no such file or directory");
        assertThat(source.incompleteReason()).isEmpty();
        assertThat(source.location()).isEqualTo(dir.toString());
    }

    @Test
    void missingOrBrokenMetadataIsUnableToLoad() throws Exception {
        LocalBackupSource source = LocalBackupSource.open(dir);
        assertThatThrownBy(source::readMetadata).isInstanceOf(MetadataException.class)
                .hasMessageStartingWith("unable to load metadata: open ");

        Files.writeString(dir.resolve("metadata"), "instances: [unterminated\n");
        assertThatThrownBy(source::readMetadata).hasMessageStartingWith("unable to load metadata: ");
    }
}
