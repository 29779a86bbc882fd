package dev.bbr.artifacts.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.artifacts.metadata.MetadataException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectorySourceTest {
    @TempDir
    Path dir;

    @Test
    void missingDirectoryGivesBbrsMessage() {
        Path missing = dir.resolve("i-am-not-here");
        assertThatThrownBy(() -> LocalDirectorySource.open(missing))
                .isInstanceOf(ArtifactStoreException.class)
                .hasMessage("Could not open backup: failed opening the directory: stat " + missing + ": no such file or directory");
    }

    @Test
    void readsArtifactsAndMetadata() throws Exception {
        Files.writeString(dir.resolve("metadata"), "instances:\n- name: bosh\n  index: \"0\"\n  artifacts: []\n");
        Files.write(dir.resolve("bosh-0-bosh.tar"), new byte[2560]);
        LocalDirectorySource source = LocalDirectorySource.open(dir);

        assertThat(source.readMetadata().instances()).singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("bosh"));
        assertThat(source.exists("bosh-0-bosh.tar")).isTrue();
        assertThat(source.exists("other.tar")).isFalse();
        assertThat(source.size("bosh-0-bosh.tar")).isEqualTo(2560);
        try (InputStream in = source.openArtifact("bosh-0-bosh.tar")) {
            assertThat(in.readAllBytes()).hasSize(2560);
        }
        assertThat(source.incompleteReason()).isEmpty();
        assertThat(source.location()).isEqualTo(dir);
    }

    @Test
    void missingOrBrokenMetadataIsUnableToLoad() throws Exception {
        LocalDirectorySource source = LocalDirectorySource.open(dir);
        assertThatThrownBy(source::readMetadata).isInstanceOf(MetadataException.class)
                .hasMessageStartingWith("unable to load metadata: open ");

        Files.writeString(dir.resolve("metadata"), "instances: [unterminated\n");
        assertThatThrownBy(source::readMetadata).hasMessageStartingWith("unable to load metadata: ");
    }
}
