package dev.bbr.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbr.core.model.JobMetadata;
import dev.bbr.core.model.JobRef;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What bbr reads from the manifest and from a job's metadata script. */
class ManifestAndMetadataParsingTest {
    private static final String V2 = """
            name: dep
            instance_groups:
            - name: redis
              jobs:
              - name: redis-server
                release: redis
                properties:
                  bbr:
                    backup_one_restore_all: true
              - name: quoted
                release: redis
                properties:
                  bbr:
                    backup_one_restore_all: "true"
              - name: nameless-release
            - name: web
              jobs:
              - name: redis-server
                release: other-redis
            """;

    private static final String V1 = """
            name: dep
            jobs:
            - name: redis
              templates:
              - name: redis-server
                release: redis-v1
              properties:
                bbr:
                  backup_one_restore_all: true
            """;

    @Test
    void aV2ManifestNamesEachJobsReleasePerInstanceGroup() throws Exception {
        ManifestQuerier manifest = ManifestQuerier.parse("dep", V2);

        assertThat(manifest.releaseOf("redis", "redis-server")).isEqualTo("redis");
        assertThat(manifest.releaseOf("web", "redis-server")).isEqualTo("other-redis");
        assertThat(manifest.releaseOf("redis", "nameless-release")).isEmpty();
        assertThat(manifest.releaseOf("redis", "missing")).isEmpty();
        assertThat(manifest.releaseOf("missing", "redis-server")).isEmpty();
    }

    @Test
    void backupOneRestoreAllIsOnOnlyForAYamlTrueOnTheJob() throws Exception {
        ManifestQuerier manifest = ManifestQuerier.parse("dep", V2);

        assertThat(manifest.backupOneRestoreAll("redis", "redis-server")).isTrue();
        assertThat(manifest.backupOneRestoreAll("redis", "quoted")).as("a string is not a boolean").isFalse();
        assertThat(manifest.backupOneRestoreAll("web", "redis-server")).isFalse();
        assertThat(manifest.backupOneRestoreAll("missing", "x")).isFalse();
    }

    @Test
    void aV1ManifestReadsTemplatesAndTheGroupsProperties() throws Exception {
        ManifestQuerier manifest = ManifestQuerier.parse("dep", V1);

        assertThat(manifest.releaseOf("redis", "redis-server")).isEqualTo("redis-v1");
        assertThat(manifest.backupOneRestoreAll("redis", "redis-server")).isTrue();
        assertThat(manifest.releaseOf("web", "redis-server")).isEmpty();
    }

    @Test
    void anEmptyManifestKnowsNothingAndAnInvalidOneIsBbrsError() throws Exception {
        assertThat(ManifestQuerier.parse("dep", "").releaseOf("a", "b")).isEmpty();
        assertThat(ManifestQuerier.parse("dep", null).backupOneRestoreAll("a", "b")).isFalse();
        assertThat(ManifestQuerier.parse("dep", "---\n").releaseOf("a", "b")).isEmpty();
        assertThatThrownBy(() -> ManifestQuerier.parse("dep", "instance_groups: [unclosed"))
                .isInstanceOf(DiscoveryException.class)
                .hasMessageStartingWith("couldn't generate manifest querier for deployment dep: ");
    }

    @Test
    void metadataParsesOrderingSkipAndDiscontinuedNamesAndIgnoresUnknownKeys() throws Exception {
        JobMetadata metadata = MetadataParser.parse("""
                backup_should_be_locked_before:
                - job_name: web
                  release: web-release
                restore_should_be_locked_before:
                - job_name: db
                  release: db-release
                skip_bbr_scripts: true
                backup_name: old-backup
                restore_name: old-restore
                some_future_key: {a: 1}
                """);

        assertThat(metadata.backupShouldBeLockedBefore()).containsExactly(new JobRef("web", "web-release"));
        assertThat(metadata.restoreShouldBeLockedBefore()).containsExactly(new JobRef("db", "db-release"));
        assertThat(metadata.skipBbrScripts()).isTrue();
        assertThat(metadata.backupName()).isEqualTo("old-backup");
        assertThat(metadata.restoreName()).isEqualTo("old-restore");
    }

    @Test
    void emptyMetadataIsNoMetadata() throws Exception {
        assertThat(MetadataParser.parse("")).isEqualTo(JobMetadata.NONE);
        assertThat(MetadataParser.parse("  \n")).isEqualTo(JobMetadata.NONE);
        assertThat(MetadataParser.parse(null)).isEqualTo(JobMetadata.NONE);
        assertThat(MetadataParser.parse("---\n")).isEqualTo(JobMetadata.NONE);
        assertThat(MetadataParser.parse("skip_bbr_scripts: false\n")).isEqualTo(JobMetadata.NONE);
    }

    @Test
    void anOrderingConstraintNeedsBothJobAndRelease() {
        for (String entry : new String[] {"- job_name: web\n", "- release: web-release\n",
                "- job_name: web\n  release: \"\"\n"}) {
            assertThatThrownBy(() -> MetadataParser.parse("restore_should_be_locked_before:\n" + entry))
                    .as(entry).isInstanceOf(IOException.class)
                    .hasMessage("both job name and release should be specified for should be locked before");
        }
        assertThatThrownBy(() -> MetadataParser.parse("just a string")).isInstanceOf(IOException.class)
                .hasMessage("failed to unmarshal job metadata: expected a mapping, got STRING");
    }

    /** Issue 11 (bad-input catalogue M02): the Go bbr's yaml.Unmarshal refuses these; ignoring them drops a lock order. */
    @Test
    void metadataOfTheWrongShapeIsRefusedNotIgnored() {
        assertThatThrownBy(() -> MetadataParser.parse("backup_should_be_locked_before: 5\n"))
                .isInstanceOf(IOException.class)
                .hasMessage("failed to unmarshal job metadata: backup_should_be_locked_before must be a list of"
                        + " {job_name, release}, got number 5");
        assertThatThrownBy(() -> MetadataParser.parse("restore_should_be_locked_before: [db]\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("got an item string \"db\"");
        assertThatThrownBy(() -> MetadataParser.parse("skip_bbr_scripts: maybe\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("skip_bbr_scripts must be true or false");
    }
}
