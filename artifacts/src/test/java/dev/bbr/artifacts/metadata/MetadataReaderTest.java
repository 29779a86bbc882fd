package dev.bbr.artifacts.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataReaderTest {
    private final MetadataReader reader = new MetadataReader();

    private BackupMetadata read(String yaml) throws MetadataException {
        return reader.read(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBbrFixtures() throws Exception {
        assertThat(reader.read(MetadataFixtures.resource("redis-backup/metadata"))).isEqualTo(MetadataFixtures.redisBackup());
        assertThat(reader.read(MetadataFixtures.resource("director-backup/metadata"))).isEqualTo(MetadataFixtures.directorBackup());
    }

    @Test
    void fixtureHasNoBackupActivityAndThatIsFine() throws Exception {
        assertThat(reader.read(MetadataFixtures.resource("redis-backup/metadata")).backupActivity()).isEmpty();
    }

    @Test
    void toleratesUnquotedIndexUnknownKeysAndAnyZoneAbbreviation() throws Exception {
        BackupMetadata metadata = read("""
                instances:
                - name: redis
                  index: 1
                  some_future_key: [1, 2]
                  artifacts:
                  - name: redis-server
                    checksums:
                      ./redis-server/dump.rdb: abc
                custom_artifacts:
                - name: mysql
                  checksums: {}
                backup_activity:
                  start_time: 2024/01/02 15:04:05 CET
                  finish_time: 2024/01/02 16:04:05 CEST
                  duration: 1h
                unknown_top_level: true
                """);

        assertThat(metadata.instances()).singleElement().satisfies(i -> {
            assertThat(i.index()).isEqualTo("1");
        });
        assertThat(metadata.instanceArtifact("redis", "1", "redis-server").orElseThrow().checksums())
                .containsExactly(Map.entry("./redis-server/dump.rdb", "abc"));
        assertThat(metadata.customArtifact("mysql").orElseThrow().checksums()).isEmpty();
        assertThat(metadata.backupActivity().orElseThrow().startTime()).isEqualTo("2024/01/02 15:04:05 CET");
        assertThat(metadata.backupActivity().orElseThrow().finishTime()).contains("2024/01/02 16:04:05 CEST");
    }

    @Test
    void emptyDocumentIsEmptyMetadata() throws Exception {
        assertThat(read("")).isEqualTo(BackupMetadata.empty());
        assertThat(read("{}\n")).isEqualTo(BackupMetadata.empty());
    }

    @Test
    void unparseableYamlGivesBbrsMessage() {
        assertThatThrownBy(() -> read("instances: [\n  - name: x\n: : :"))
                .isInstanceOf(MetadataException.class)
                .hasMessageStartingWith("unable to load metadata: ");
        assertThatThrownBy(() -> read("instances: not-a-list\n"))
                .hasMessage("unable to load metadata: expected a list at instances");
        assertThatThrownBy(() -> read("- just\n- a list\n"))
                .hasMessage("unable to load metadata: expected a mapping at metadata");
    }

    @Test
    void roundTripsNamesThatNeedQuoting() throws Exception {
        Map<String, String> checksums = new LinkedHashMap<>();
        List<String> nasty = List.of("./with space", "./trailing ", "./colon: x", "./x:", "./#hash", "./a #b",
                "./new\nline", "./tab\there", "./quote\"d", "./single'q", "./back\\slash", "./ünïcødé-日本",
                "./emoji-😀", "./ctrl\u0001", "./nel\u0085", "./bom\ufeff", "-", "true", "010", "1e5", "~", "null",
                "0x1F", "2024-01-02", ".inf", "", "@at", "`tick", "%pct", "{brace}", "[bracket]", "*star", "&amp", "!bang");
        for (int i = 0; i < nasty.size(); i++) {
            checksums.put(nasty.get(i), String.format("%064x", i));
        }
        BackupMetadata metadata = new BackupMetadata(
                List.of(new InstanceMetadata("group with: colon", "0", List.of(new ArtifactChecksums("yes", checksums)))),
                List.of(new ArtifactChecksums("no", Map.of("./x", "1234"))),
                new BackupActivity("2024/01/02 15:04:05 +0530", "2024/01/02 15:04:06 UTC"));

        assertThat(reader.read(new MetadataWriter().toBytes(metadata))).isEqualTo(metadata);
    }

    @Test
    void readsMetadataLargerThanSnakeYamlsDefaultLimit() throws Exception {
        Map<String, String> checksums = new LinkedHashMap<>();
        for (int i = 0; i < 30_000; i++) {
            checksums.put("./some/deeply/nested/directory/file-" + i, String.format("%064x", i));
        }
        BackupMetadata metadata = new BackupMetadata(List.of(),
                List.of(new ArtifactChecksums("big", checksums)), null);
        byte[] yaml = new MetadataWriter().toBytes(metadata);

        assertThat(yaml.length).isGreaterThan(3 * 1024 * 1024);
        assertThat(reader.read(yaml)).isEqualTo(metadata);
    }
}
