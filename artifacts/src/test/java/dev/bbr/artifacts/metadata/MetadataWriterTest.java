package dev.bbr.artifacts.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataWriterTest {
    private final MetadataWriter writer = new MetadataWriter();

    @Test
    void writesTheRedisFixtureByteForByte() throws Exception {
        assertThat(writer.toBytes(MetadataFixtures.redisBackup()))
                .isEqualTo(MetadataFixtures.resource("redis-backup/metadata"));
    }

    @Test
    void writesTheDirectorFixtureByteForByte() throws Exception {
        assertThat(writer.toBytes(MetadataFixtures.directorBackup()))
                .isEqualTo(MetadataFixtures.resource("director-backup/metadata"));
    }

    @Test
    void writesBackupActivityCustomArtifactsAndEmptyMapsInBbrLayout() {
        BackupMetadata metadata = BackupMetadata.started(new BackupActivity("2024/01/02 15:04:05 UTC", null))
                .withInstanceArtifact("redis", "0", new ArtifactChecksums("redis-server", Map.of()))
                .withCustomArtifact(new ArtifactChecksums("mysql", Map.of("./dump.sql", MetadataFixtures.BACKUP)))
                .withBackupActivity(new BackupActivity("2024/01/02 15:04:05 UTC", "2024/01/02 15:09:11 UTC"));

        assertThat(writer.write(metadata)).isEqualTo("""
                instances:
                - name: redis
                  index: "0"
                  artifacts:
                  - name: redis-server
                    checksums: {}
                custom_artifacts:
                - name: mysql
                  checksums:
                    ./dump.sql: 26e17765aa93724bebd8675aeaef0dc27ac7b778003a8094dffdf9b0ffe2deba
                backup_activity:
                  start_time: 2024/01/02 15:04:05 UTC
                  finish_time: 2024/01/02 15:09:11 UTC
                """);
    }

    @Test
    void freshBackupHasOnlyTheStartTime() {
        assertThat(writer.write(BackupMetadata.started(new BackupActivity("2024/01/02 15:04:05 CET", null))))
                .isEqualTo("backup_activity:\n  start_time: 2024/01/02 15:04:05 CET\n");
    }

    @Test
    void emptyMetadataIsAnEmptyMappingLikeYamlV2() {
        assertThat(writer.write(BackupMetadata.empty())).isEqualTo("{}\n");
    }

    @Test
    void instanceWithoutArtifactsWritesAnEmptyList() {
        BackupMetadata metadata = new BackupMetadata(List.of(new InstanceMetadata("redis", "3", List.of())), List.of(), null);
        assertThat(writer.write(metadata)).isEqualTo("instances:\n- name: redis\n  index: \"3\"\n  artifacts: []\n");
    }

    @Test
    void sortsChecksumKeysLikeYamlV2WithNumbersComparedNumerically() {
        Map<String, String> checksums = new LinkedHashMap<>();
        for (String name : List.of("./f10", "./f2", "./b", "./a/x", "./F1", "./_u")) {
            checksums.put(name, MetadataFixtures.BACKUP);
        }
        String yaml = writer.write(new BackupMetadata(List.of(), List.of(new ArtifactChecksums("c", checksums)), null));

        assertThat(yaml.lines().filter(l -> l.startsWith("    ./")).map(l -> l.substring(4, l.indexOf(": "))))
                .containsExactly("./_u", "./F1", "./a/x", "./b", "./f2", "./f10");
    }

    @Test
    void quotesNamesThatWouldNotReadBackAsTheSameString() {
        Map<String, String> checksums = new LinkedHashMap<>();
        checksums.put("./with space", "a");
        checksums.put("./colon: space", "b");
        checksums.put("./hash #tag", "c");
        checksums.put("./new\nline", "d");
        checksums.put("./quote\"s and \\back", "e");
        checksums.put("./ünïcødé-файл-日本.txt", "f");
        String yaml = writer.write(new BackupMetadata(
                List.of(new InstanceMetadata("yes", "0", List.of(new ArtifactChecksums("- dash", checksums)))),
                List.of(), null));

        assertThat(yaml).contains("- name: \"yes\"\n", "  - name: \"- dash\"\n",
                "      ./with space: a\n",
                "      \"./colon: space\": b\n",
                "      \"./hash #tag\": c\n",
                "      \"./new\\nline\": d\n",
                "      ./quote\"s and \\back: e\n",
                "      ./ünïcødé-файл-日本.txt: f\n");
    }

    @Test
    void usesExplicitKeysForPathsLongerThanYamlsImplicitKeyLimit() throws Exception {
        String longPath = "./" + "d/".repeat(700) + "file";
        BackupMetadata metadata = new BackupMetadata(List.of(),
                List.of(new ArtifactChecksums("c", Map.of(longPath, MetadataFixtures.BACKUP))), null);
        byte[] yaml = writer.toBytes(metadata);

        assertThat(new String(yaml, StandardCharsets.UTF_8)).contains("    ? " + longPath + "\n    : ");
        assertThat(new MetadataReader().read(yaml)).isEqualTo(metadata);
    }
}
