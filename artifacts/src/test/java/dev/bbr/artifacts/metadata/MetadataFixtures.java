package dev.bbr.artifacts.metadata;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The models of bbr's fixtures (its repository's fixtures/redis-backup and fixtures/director-backup), built by hand, not parsed. */
final class MetadataFixtures {
    static final String AOF = "be1b7e4e577b7cbcd556ec75f2f4b2e2d3afca1e40f8ce5a2b748b462cf4bd53";
    static final String BACKUP = "26e17765aa93724bebd8675aeaef0dc27ac7b778003a8094dffdf9b0ffe2deba";

    private MetadataFixtures() {
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = MetadataFixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return in.readAllBytes();
        }
    }

    static BackupMetadata redisBackup() {
        return new BackupMetadata(List.of(
                redisInstance("other-redis", "0", "3f1baf2147d8e9bc91fdbf21f7d384601d0c20130064a1f02d5d096ccf94a3fe"),
                redisInstance("redis", "0", "ba3589985f5f4869fe62d155faee8e59c328b42875cb7e3fbb18c7b8152a92d2"),
                redisInstance("redis", "1", "66f7f1c19210f601eb7e087f510cbf6c045ca70654dc4c323902204dc4c38108")),
                List.of(), null);
    }

    private static InstanceMetadata redisInstance(String name, String index, String dumpSha) {
        Map<String, String> checksums = new LinkedHashMap<>();
        // deliberately unsorted: the writer must sort
        checksums.put("./redis-server/dump.rdb", dumpSha);
        checksums.put("./redis-server/appendonly.aof", AOF);
        return new InstanceMetadata(name, index, List.of(new ArtifactChecksums("redis-server", checksums)));
    }

    static BackupMetadata directorBackup() {
        return new BackupMetadata(List.of(new InstanceMetadata("bosh", "0", List.of(
                new ArtifactChecksums("test-backup-and-restore", Map.of("./backup", BACKUP)),
                new ArtifactChecksums("remarkable-backup-and-restore", Map.of("./backup", BACKUP)),
                new ArtifactChecksums("amazing-backup-and-restore", Map.of("./backup", BACKUP))))),
                List.of(), null);
    }
}
