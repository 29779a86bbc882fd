package dev.bbr.artifacts.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.artifacts.store.IncompleteMarker;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.artifacts.testsupport.Shell;
import dev.bbr.artifacts.testsupport.TreeBuilder;
import dev.bbr.artifacts.validate.ValidationProblem.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups here are built the way Go bbr leaves them on disk — GNU tar archives, metadata text in
 * yaml.v2's layout typed out by hand — never by our own writer, so compatibility is really tested.
 */
class ArtifactValidatorTest {
    @TempDir
    Path tmp;

    private Path backup;
    private Map<String, String> redisChecksums;
    private Map<String, String> mysqlChecksums;
    private final ArtifactValidator validator = new ArtifactValidator();

    @BeforeEach
    void goBbrBackup() throws IOException {
        backup = Files.createDirectories(tmp.resolve("redis_20240102T030405Z"));
        TreeBuilder redis = new TreeBuilder(tmp.resolve("vm/redis"))
                .file("redis-server/appendonly.aof", "aof contents\n")
                .file("redis-server/dump.rdb", "dump contents\n");
        Shell.tarTo(redis.root(), backup.resolve("redis-0-redis-server.tar"));
        redisChecksums = redis.expectedChecksums();
        TreeBuilder mysql = new TreeBuilder(tmp.resolve("vm/mysql")).file("dump.sql", "create table t;\n");
        Shell.tarTo(mysql.root(), backup.resolve("mysql-backup.tar"));
        mysqlChecksums = mysql.expectedChecksums();
        Files.writeString(backup.resolve("backup"), "unreferenced files are ignored");
        writeMetadata(true, "\"0\"");
    }

    private void writeMetadata(boolean withActivity, String index) throws IOException {
        StringBuilder yaml = new StringBuilder("instances:\n- name: redis\n  index: " + index + "\n  artifacts:\n"
                + "  - name: redis-server\n    checksums:\n");
        redisChecksums.forEach((k, v) -> yaml.append("      ").append(k).append(": ").append(v).append('\n'));
        yaml.append("custom_artifacts:\n- name: mysql-backup\n  checksums:\n");
        mysqlChecksums.forEach((k, v) -> yaml.append("    ").append(k).append(": ").append(v).append('\n'));
        yaml.append("- name: never-produced\n  checksums: {}\n");
        if (withActivity) {
            yaml.append("backup_activity:\n  start_time: 2024/01/02 04:04:05 CET\n  finish_time: 2024/01/02 04:09:11 CET\n");
        }
        Files.writeString(backup.resolve("metadata"), yaml);
    }

    private List<ValidationProblem> validate() throws IOException {
        return validator.validate(LocalArtifactStore.openBackup(backup));
    }

    @Test
    void goBbrBackupIsValid() throws Exception {
        assertThat(validate()).isEmpty();
    }

    @Test
    void goBbrBackupWithoutActivityAndWithUnquotedIndexIsValid() throws Exception {
        writeMetadata(false, "0");
        assertThat(validate()).isEmpty();
    }

    @Test
    void directorIntegrationFixtureShapeIsValid() throws Exception {
        Path director = Files.createDirectories(tmp.resolve("director"));
        Shell.tarTo(new TreeBuilder(tmp.resolve("bosh")).file("backup", "this is a backup\n").root(),
                director.resolve("bosh-0-bosh.tar"));
        Files.writeString(director.resolve("metadata"), "instances:\n- name: bosh\n  index: \"0\"\n  artifacts:\n"
                + "  - name: bosh\n    checksums:\n"
                + "      ./backup: 26e17765aa93724bebd8675aeaef0dc27ac7b778003a8094dffdf9b0ffe2deba\n");

        assertThat(validator.validate(LocalArtifactStore.openBackup(director))).isEmpty();
    }

    @Test
    void flippedByteIsCorruptionNamingTheFile() throws Exception {
        Path tar = backup.resolve("redis-0-redis-server.tar");
        byte[] bytes = Files.readAllBytes(tar);
        int at = indexOf(bytes, "dump contents");
        bytes[at] ^= 0x01;
        Files.write(tar, bytes);

        assertThat(validate()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.CHECKSUM_MISMATCH);
            assertThat(p.kind().isCorruption()).isTrue();
            assertThat(p.artifactFile()).contains("redis-0-redis-server.tar");
            assertThat(p.message()).isEqualTo("Backup is corrupted, checksum failed for redis/0 redis-server - "
                    + "checksums don't match for [./redis-server/dump.rdb]. Checksum failed for 1 files in total");
        });
    }

    @Test
    void missingTarIsReported() throws Exception {
        Files.delete(backup.resolve("mysql-backup.tar"));

        assertThat(validate()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.ARTIFACT_MISSING);
            assertThat(p.message()).isEqualTo("Could not validate backup: Error calculating checksum for artifact: open "
                    + backup.resolve("mysql-backup.tar") + ": no such file or directory");
        });
    }

    @Test
    void editedMetadataIsCorruption() throws Exception {
        String yaml = Files.readString(backup.resolve("metadata"));
        String edited = yaml.replace(mysqlChecksums.get("./dump.sql"), "0".repeat(64))
                .replace("  - name: redis-server\n    checksums:\n",
                        "  - name: redis-server\n    checksums:\n      ./redis-server/extra: " + "1".repeat(64) + "\n");
        Files.writeString(backup.resolve("metadata"), edited);

        assertThat(validate()).extracting(ValidationProblem::message).containsExactlyInAnyOrder(
                "Backup is corrupted, checksum failed for redis/0 redis-server - checksums don't match for "
                        + "[./redis-server/extra]. Checksum failed for 1 files in total",
                "Backup is corrupted, checksum failed for custom artifact mysql-backup - checksums don't match for "
                        + "[./dump.sql]. Checksum failed for 1 files in total");
    }

    @Test
    void truncatedTarIsMalformed() throws Exception {
        Path tar = backup.resolve("redis-0-redis-server.tar");
        byte[] bytes = Files.readAllBytes(tar);
        Files.write(tar, java.util.Arrays.copyOf(bytes, 1800));

        assertThat(validate()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.MALFORMED_ARCHIVE);
            assertThat(p.message()).startsWith("Backup is corrupted, redis-0-redis-server.tar is not a complete tar archive");
        });
    }

    @Test
    void parentTraversalEntryIsUnsafe() throws Exception {
        replaceRedisTar(new TarArchiveEntry("../x", true), "escape");

        assertThat(validate()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.UNSAFE_ENTRY);
            assertThat(p.message()).isEqualTo("Backup is corrupted, redis-0-redis-server.tar contains entries that must "
                    + "not be extracted: [../x ('..' path segment)]. 1 unsafe entries in total");
        });
    }

    @Test
    void absoluteEntryIsUnsafe() throws Exception {
        replaceRedisTar(new TarArchiveEntry("/etc/x", true), "owned");

        assertThat(validate()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.UNSAFE_ENTRY);
            assertThat(p.message()).contains("[/etc/x (absolute path)]");
        });
    }

    @Test
    void deviceEntryIsUnsafe() throws Exception {
        TarArchiveEntry device = new TarArchiveEntry("./sda", TarConstants.LF_BLK);
        device.setDevMajor(8);
        replaceRedisTar(device, null);

        assertThat(validate()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.UNSAFE_ENTRY);
            assertThat(p.message()).contains("[./sda (block device)]");
        });
    }

    @Test
    void ourIncompleteMarkerBlocksRestore() throws Exception {
        Files.writeString(backup.resolve(IncompleteMarker.FILE_NAME),
                "This backup is incomplete and must not be restored.\nstatus: failed\ntime: x\nreason: lock failed\n");

        assertThat(validate()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.INCOMPLETE_BACKUP);
            assertThat(p.message()).isEqualTo("Backup is incomplete and must not be restored (failed: lock failed)");
        });
    }

    @Test
    void unreadableMetadataStopsValidation() throws Exception {
        Files.writeString(backup.resolve("metadata"), "instances: [\n");

        assertThat(validate()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Kind.METADATA_UNREADABLE);
            assertThat(p.message()).startsWith("unable to load metadata: ");
        });
        assertThat(ArtifactValidator.describe(validate())).startsWith("unable to load metadata: ");
    }

    /** Rewrites the redis tar with commons-compress (GNU tar refuses to write such entries) plus a matching metadata entry. */
    private void replaceRedisTar(TarArchiveEntry extra, String content) throws IOException {
        Path tar = backup.resolve("redis-0-redis-server.tar");
        Map<String, String> checksums = new TreeMap<>(redisChecksums);
        try (OutputStream file = Files.newOutputStream(tar); TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> e : redisChecksums.entrySet()) {
                byte[] data = Files.readAllBytes(tmp.resolve("vm/redis").resolve(e.getKey()));
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(data.length);
                out.putArchiveEntry(entry);
                out.write(data);
                out.closeArchiveEntry();
            }
            byte[] data = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
            extra.setSize(data.length);
            out.putArchiveEntry(extra);
            out.write(data);
            out.closeArchiveEntry();
            if (content != null) {
                checksums.put(extra.getName(), Shell.sha256(data));
            }
        }
        redisChecksums = checksums;
        writeMetadata(true, "\"0\"");
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " not found");
    }
}
