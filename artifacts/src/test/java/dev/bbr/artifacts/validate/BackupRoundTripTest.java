package dev.bbr.artifacts.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.metadata.BackupActivity;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.tar.ChecksumComparison;
import dev.bbr.artifacts.tar.ChecksummingTarCopier;
import dev.bbr.artifacts.tar.RemoteSha256Output;
import dev.bbr.artifacts.tar.TarChecksums;
import dev.bbr.artifacts.tar.TarHashingInputStream;
import dev.bbr.artifacts.testsupport.Shell;
import dev.bbr.artifacts.testsupport.TreeBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole local lifecycle as core will drive it: drain → metadata → complete → validate → upload stream. */
class BackupRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void drainedBackupValidatesAndUploadsWithTheSameChecksums() throws Exception {
        TreeBuilder vm = new TreeBuilder(tmp.resolve("vm/bbr-backup/redis-server"))
                .file("dump.rdb", "dump").file("dir with space/new\nline", "odd name").file("empty", new byte[0]);
        Path artifacts = Files.createDirectories(tmp.resolve("artifacts"));
        Clock clock = Clock.systemDefaultZone();

        // backup
        BackupDestination destination = new LocalArtifactStore(artifacts, clock).createBackup("redis");
        BackupMetadata metadata = BackupMetadata.started(BackupActivity.startedAt(ZonedDateTime.now(clock)));
        destination.writeMetadata(metadata);
        TarChecksums local;
        try (InputStream remoteTar = new ProcessBuilder("tar", "-C", vm.root().toString(), "-cf", "-", ".").start().getInputStream();
             ArtifactOutput out = destination.openArtifact(ArtifactId.of("redis", "0", "redis-server"))) {
            local = new ChecksummingTarCopier().copy(remoteTar, out);
        }
        Map<String, String> remote = RemoteSha256Output.parse(
                Shell.bash(RemoteSha256Output.command("'" + vm.root() + "'")));
        assertThat(ChecksumComparison.compare(local.checksums(), remote).matches()).isTrue();
        metadata = metadata.withInstanceArtifact("redis", "0", new ArtifactChecksums("redis-server", local.checksums()));
        destination.writeMetadata(metadata);
        metadata = metadata.withBackupActivity(metadata.backupActivity().orElseThrow().finishedAt(ZonedDateTime.now(clock)));
        destination.writeMetadata(metadata);
        destination.markComplete();

        // restore
        BackupSource source = LocalArtifactStore.openBackup(Path.of(destination.location()));
        assertThat(new ArtifactValidator().validate(source)).isEmpty();
        assertThat(source.readMetadata()).isEqualTo(metadata);
        TarHashingInputStream upload = new TarHashingInputStream(source.openArtifact(ArtifactId.of("redis", "0", "redis-server")));
        try (upload) {
            upload.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(upload.checksums().checksums()).isEqualTo(vm.expectedChecksums());
        assertThat(source.plaintextSize(ArtifactId.of("redis", "0", "redis-server"))).isEqualTo(local.bytesCopied());

        // Go bbr reads what we wrote: its GNU tar extracts the artifact we stored
        Path extracted = Files.createDirectories(tmp.resolve("extracted"));
        Shell.run(List.of("tar", "-C", extracted.toString(), "-xf", Path.of(destination.location()).resolve("redis-0-redis-server.tar").toString()));
        assertThat(new TreeBuilder(extracted).expectedChecksums()).isEqualTo(vm.expectedChecksums());
    }
}
