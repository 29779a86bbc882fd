package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.DEP;
import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.copyBackup;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.fileNames;
import static dev.bbr.cli.e2e.RestoreE2eSupport.localChecksums;
import static dev.bbr.cli.e2e.RestoreE2eSupport.sha256Tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.local.LocalArtifactStore;
import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups at rest against the lab (issue 13): a compressed, encrypted backup that Debian's own
 * {@code age}, {@code zstd} and {@code tar} read back to bbr's checksums; restore that refuses a
 * missing or wrong key before the Director is called; {@code bbr artifacts verify|list|prune|unlock};
 * the run lock. One encrypted backup is taken once; damaged copies of it are what verify must catch.
 */
class AtRestE2ETest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/default.yml");

    @TempDir
    static Path keys;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static String customerKey;
    private static String escrowKey;
    private static Path encrypted;

    private Lab l;

    @BeforeAll
    static void keys() throws Exception {
        requireTools("age", "age-keygen", "zstd", "tar");
        run(null, "age-keygen", "-o", keys.resolve("customer.txt").toString());
        customerKey = publicKey(keys.resolve("customer.txt"));
        run(null, "age-keygen", "-o", keys.resolve("escrow.txt").toString());
        escrowKey = publicKey(keys.resolve("escrow.txt"));
        Files.writeString(keys.resolve("escrow.pub"), "# escrow key\n" + escrowKey + "\n");
        run(null, "age-keygen", "-o", keys.resolve("stranger.txt").toString());
    }

    @BeforeEach
    void reset() throws Exception {
        l = lab.get();
        RestoreE2eSupport.resetInstances(l, DEP);
        if (encrypted == null) {
            Path root = Files.createDirectories(shared.resolve("encrypted"));
            CliRun b = bbr(l.env(), "deployment", "backup", "--artifact-path", root.toString(), "--compress", "zstd",
                    "--encrypt-to", customerKey, "--recipients-file", keys.resolve("escrow.pub").toString());
            assertThat(b.exitCode()).as(describe(b)).isZero();
            assertThat(b.out()).contains("Artifacts will be stored zstd:3 + age (2 recipients)");
            encrypted = RestoreE2eSupport.onlyBackupDir(root);
            RestoreE2eSupport.resetInstances(l, DEP);
        }
    }

    // ------------------------------------------------------------------ the backup itself

    @Test
    void encryptedBackupIsReadBackByDebiansAgeZstdAndTarToBbrsChecksums() throws Exception {
        List<String> files = fileNames(encrypted);
        assertThat(files).contains("metadata", "bbr-sidecar.json", "database-0-data.tar.zst.age",
                "web-0-slow.tar.zst.age").doesNotContain("BACKUP-INCOMPLETE");
        assertThat(files).noneMatch(f -> f.endsWith(".tar"));
        assertThat(Files.readString(encrypted.resolve("metadata"))).doesNotContain("AGE-SECRET-KEY");

        JsonNode sidecar = new ObjectMapper().readTree(encrypted.resolve("bbr-sidecar.json").toFile());
        assertThat(sidecar.toString()).contains(customerKey, escrowKey).doesNotContain("AGE-SECRET-KEY");

        Map<String, Map<String, String>> expected = BackupE2eSupport.metadataChecksums(
                BackupE2eSupport.metadata(encrypted));
        assertThat(expected).isNotEmpty();
        for (Map.Entry<String, Map<String, String>> artifact : expected.entrySet()) {
            // each recipient's key opens it; the escrow key, given as a file of public keys, is one of them
            String identity = artifact.getKey().startsWith("database") ? "escrow.txt" : "customer.txt";
            Path into = Files.createDirectories(tmp.resolve(artifact.getKey()));
            run(into, "bash", "-c", "set -o pipefail; age -d -i " + keys.resolve(identity) + " "
                    + encrypted.resolve(artifact.getKey() + ".tar.zst.age") + " | zstd -d | tar -xf -");
            assertThat(localChecksums(into)).as(artifact.getKey()).isEqualTo(artifact.getValue());
            // and the stored file is the one the sidecar records
            String storedSha = RestoreE2eSupport.sha256(encrypted.resolve(artifact.getKey() + ".tar.zst.age"));
            assertThat(sidecar.toString()).contains(storedSha);
        }
        assertThat(fileNames(encrypted.getParent())).as("the run lock is gone").noneMatch(f -> f.startsWith(".bbr-lock-"));
    }

    @Test
    void badCodecFlagsAreRefusedBeforeAnythingIsContacted() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("refused"));
        CliRun lz4 = bbr(l.env(), "deployment", "backup", "--artifact-path", root.toString(), "--compress", "lz4");
        CliRun ssh = bbr(l.env(), "deployment", "backup", "--artifact-path", root.toString(), "--encrypt-to",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
        CliRun missing = bbr(l.env(), "deployment", "backup", "--artifact-path", root.toString(),
                "--recipients-file", tmp.resolve("nope.pub").toString());
        assertThat(lz4.exitCode()).isEqualTo(1);
        assertThat(lz4.err()).contains("--compress: invalid compression 'lz4': expected");
        assertThat(ssh.exitCode()).isEqualTo(1);
        assertThat(ssh.err()).contains("--encrypt-to: invalid age recipient", "SSH public keys are not supported");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("recipients file " + tmp.resolve("nope.pub") + " does not exist");
        assertThat(l.requests()).as("no Director call").isEmpty();
        assertThat(fileNames(root)).isEmpty();
    }

    // ------------------------------------------------------------------ restore

    @Test
    void restoreWithoutOrWithAWrongIdentityIsRefusedBeforeTheDirectorIsCalled() {
        CliRun none = restore(encrypted);
        assertThat(none.exitCode()).as(describe(none)).isEqualTo(1);
        assertThat(none.err()).contains("the backup is encrypted with age to " + customerKey + ", " + escrowKey
                + "; give the private key of one of them with --identity FILE");

        CliRun wrong = restore(encrypted, "--identity", keys.resolve("stranger.txt").toString());
        assertThat(wrong.exitCode()).as(describe(wrong)).isEqualTo(1);
        assertThat(wrong.err()).contains("none of the identities given with --identity", "is a recipient of this"
                + " backup; it is encrypted with age to " + customerKey);

        CliRun absent = restore(encrypted, "--identity", keys.resolve("absent.txt").toString());
        assertThat(absent.exitCode()).isEqualTo(1);
        assertThat(absent.err()).contains("identity file " + keys.resolve("absent.txt") + " does not exist");

        assertThat(l.requests()).as("no Director call at all").isEmpty();
        assertThat(l.scriptCalls(DEP)).isEmpty();
    }

    @Test
    void restoreWithTheEscrowKeyPutsEveryFileBack() {
        LabInstance db0 = l.instance(DEP, "database", 0);
        LabInstance db1 = l.instance(DEP, "database", 1);
        Map<String, String> before0 = sha256Tree(db0, "/var/vcap/store/data");
        Map<String, String> before1 = sha256Tree(db1, "/var/vcap/store/data");
        exec(db0, "rm -rf /var/vcap/store/data");
        exec(db1, "rm -rf /var/vcap/store/data");

        CliRun r = restore(encrypted, "--identity", keys.resolve("stranger.txt").toString(), "--identity",
                keys.resolve("escrow.txt").toString());
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(sha256Tree(db0, "/var/vcap/store/data")).isEqualTo(before0).isNotEmpty();
        assertThat(sha256Tree(db1, "/var/vcap/store/data")).isEqualTo(before1);
        assertThat(l.boshUsers()).isEmpty();
    }

    // ------------------------------------------------------------------ verify

    @Test
    void verifyWithoutAKeyChecksTheStoredFilesAndWithOneEveryFile() throws Exception {
        Path copy = copyBackup(encrypted, tmp);
        CliRun keyless = bbr(l.env(), "artifacts", "verify", copy.toString());
        assertThat(keyless.exitCode()).as(describe(keyless)).isZero();
        assertThat(keyless.out()).startsWith(copy.getFileName() + ": stored files intact: 12 artifacts match"
                + " bbr-sidecar.json").contains("contents not checked");
        assertThat(fileNames(copy)).doesNotContain("bbr-verified.json");

        CliRun keyed = bbr(l.env(), "artifacts", "verify", copy.toString(), "--identity",
                keys.resolve("customer.txt").toString());
        assertThat(keyed.exitCode()).as(describe(keyed)).isZero();
        assertThat(keyed.out()).startsWith(copy.getFileName() + ": verified: 12 artifacts, ")
                .contains("files match the metadata");
        assertThat(fileNames(copy)).contains("bbr-verified.json");

        CliRun stranger = bbr(l.env(), "artifacts", "verify", copy.toString(), "--identity",
                keys.resolve("stranger.txt").toString());
        assertThat(stranger.exitCode()).as(describe(stranger)).isEqualTo(3);
        assertThat(stranger.out()).contains(": wrong identity: ", customerKey, escrowKey);

        CliRun json = bbr(l.env(), "artifacts", "verify", copy.toString(), "--json", "--no-record");
        JsonNode verdict = new ObjectMapper().readTree(json.out()).path("backups").get(0);
        assertThat(verdict.path("verdict").asText()).isEqualTo("stored_files_ok");
        assertThat(verdict.path("passed").asBoolean()).isTrue();
        assertThat(verdict.path("artifacts").asInt()).isEqualTo(12);
    }

    @Test
    void verifyCatchesAFlippedByteATruncatedFileATamperedSidecarAndTamperedMetadata() throws Exception {
        Path flipped = copyBackup(encrypted, Files.createDirectories(tmp.resolve("flipped")));
        flipByte(flipped.resolve("database-0-data.tar.zst.age"));
        Path truncated = copyBackup(encrypted, Files.createDirectories(tmp.resolve("truncated")));
        truncate(truncated.resolve("database-1-data.tar.zst.age"));
        Path sidecar = copyBackup(encrypted, Files.createDirectories(tmp.resolve("sidecar")));
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(sidecar.resolve("bbr-sidecar.json").toFile());
        Files.writeString(sidecar.resolve("bbr-sidecar.json"), doc.toString().replaceFirst(
                "\"stored_sha256\":\"[0-9a-f]", "\"stored_sha256\":\"x"));
        Path metadata = copyBackup(encrypted, Files.createDirectories(tmp.resolve("metadata")));
        String yaml = Files.readString(metadata.resolve("metadata"));
        java.util.regex.Matcher sha = java.util.regex.Pattern.compile("[0-9a-f]{64}").matcher(yaml);
        assertThat(sha.find()).isTrue();
        char first = yaml.charAt(sha.start());
        Files.writeString(metadata.resolve("metadata"), yaml.substring(0, sha.start()) + (first == '0' ? '1' : '0')
                + yaml.substring(sha.start() + 1));

        for (boolean withKey : List.of(false, true)) {
            List<String> extra = withKey ? List.of("--identity", keys.resolve("customer.txt").toString()) : List.of();
            CliRun f = verify(flipped, extra);
            assertThat(f.exitCode()).as(describe(f)).isEqualTo(1);
            // keyless: the stored file against the sidecar; with the key: age's authentication fails first
            assertThat(f.out()).contains(": FAILED: ", "database-0-data.tar");
            CliRun t = verify(truncated, extra);
            assertThat(t.exitCode()).as(describe(t)).isEqualTo(1);
            assertThat(t.out()).contains(": FAILED: ", "database-1-data.tar");
            CliRun s = verify(sidecar, extra);
            assertThat(s.exitCode()).as(describe(s)).isEqualTo(1);
            assertThat(s.out()).contains(": FAILED: ");
            CliRun m = verify(metadata, extra);
            assertThat(m.exitCode()).as(describe(m)).isEqualTo(1);
            assertThat(m.out()).contains(": FAILED: ", "metadata does not match bbr-sidecar.json");
        }
        // and restore refuses the damaged copy before touching an instance
        CliRun r = restore(flipped, "--identity", keys.resolve("customer.txt").toString());
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(l.scriptCalls(DEP)).isEmpty();
        assertThat(l.requests()).noneMatch(q -> q.path().endsWith("/ssh"));
    }

    // ------------------------------------------------------------------ list and prune

    @Test
    void listShowsStateCodecAndSizeOfEveryBackup() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path complete = copyBackup(encrypted, root);
        Path incomplete = copyAs(encrypted, root, DEP + "_20261101T000000Z");
        Files.writeString(incomplete.resolve("BACKUP-INCOMPLETE"), "the backup was cancelled by the operator\n");
        Path goBbr = copyAs(encrypted, root, "redis_20261001T000000Z");
        Files.delete(goBbr.resolve("bbr-sidecar.json"));

        CliRun json = bbr(l.env(), "artifacts", "list", root.toString(), "--json");
        assertThat(json.exitCode()).as(describe(json)).isZero();
        JsonNode backups = new ObjectMapper().readTree(json.out()).path("backups");
        assertThat(backups).hasSize(3);
        JsonNode byName = index(backups);
        assertThat(byName.path(complete.getFileName().toString()).path("state").asText()).isEqualTo("complete");
        assertThat(byName.path(complete.getFileName().toString()).path("codec").asText())
                .isEqualTo("zstd:3 + age (2 recipients)");
        assertThat(byName.path(complete.getFileName().toString()).path("stored_bytes").asLong()).isPositive();
        assertThat(byName.path(incomplete.getFileName().toString()).path("state").asText()).isEqualTo("incomplete");
        assertThat(byName.path(incomplete.getFileName().toString()).path("detail").asText())
                .contains("cancelled by the operator");
        assertThat(byName.path("redis_20261001T000000Z").path("deployment").asText()).isEqualTo("redis");
        assertThat(byName.path("redis_20261001T000000Z").path("codec").asText()).isEqualTo("plain (Go bbr)");

        CliRun text = bbr(l.env(), "artifacts", "list", root.toString());
        assertThat(text.out().lines().findFirst().orElseThrow())
                .matches("DEPLOYMENT +TIME +SIZE +STATE +CODEC +BACKUP +DETAIL");
        assertThat(text.out()).contains("2026-11-01 00:00:00Z").contains("incomplete");
    }

    @Test
    void pruneKeepsWhatThePolicySaysAndTheNewestCompleteAlways() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("prune"));
        // one backup a day for five days, plus an old incomplete one and a fresh incomplete one: 7
        List<String> days = List.of("20261101T020000Z", "20261102T020000Z", "20261103T020000Z",
                "20261104T020000Z", "20261105T020000Z");
        for (String day : days) {
            copyAs(encrypted, root, DEP + "_" + day);
        }
        Path oldIncomplete = copyAs(encrypted, root, DEP + "_20261020T020000Z");
        Files.writeString(oldIncomplete.resolve("BACKUP-INCOMPLETE"), "failed\n");
        String freshName = DEP + "_" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now().minus(Duration.ofHours(1)));
        Path freshIncomplete = copyAs(encrypted, root, freshName);
        Files.writeString(freshIncomplete.resolve("BACKUP-INCOMPLETE"), "running\n");

        CliRun empty = bbr(l.env(), "artifacts", "prune", root.toString());
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.err()).isNotBlank();

        CliRun dry = bbr(l.env(), "artifacts", "prune", root.toString(), "--keep-daily", "2", "--dry-run");
        assertThat(dry.exitCode()).as(describe(dry)).isZero();
        assertThat(dry.out()).containsPattern("keep +" + DEP + "_20261105T020000Z")
                .containsPattern("keep +" + DEP + "_20261104T020000Z")
                .containsPattern("delete +" + DEP + "_20261101T020000Z")
                .containsPattern("delete +" + DEP + "_20261020T020000Z")
                .containsPattern("keep +" + freshName)
                .contains("Would delete 4 of 7 backups");
        assertThat(Files.list(root).filter(Files::isDirectory).count()).as("dry run deletes nothing").isEqualTo(7);

        CliRun real = bbr(l.env(), "artifacts", "prune", root.toString(), "--keep-daily", "2", "--json");
        assertThat(real.exitCode()).as(describe(real)).isZero();
        JsonNode decisions = new ObjectMapper().readTree(real.out()).path("decisions");
        assertThat(decisions).hasSize(7);
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(DEP + "_20261104T020000Z", DEP + "_20261105T020000Z", freshName);
        }

        // whatever the policy, the newest complete backup stays
        CliRun last = bbr(l.env(), "artifacts", "prune", root.toString(), "--keep-within", "1h", "--grace", "0h");
        assertThat(last.exitCode()).as(describe(last)).isZero();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList())
                    .containsExactly(DEP + "_20261105T020000Z");
        }
    }

    // ------------------------------------------------------------------ run lock

    @Test
    void aSecondBackupIntoTheSameDirectoryIsRefusedWithItsOwnExitCode() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("locked"));
        LocalArtifactStore store = new LocalArtifactStore(root, Clock.systemUTC());
        try (RunLock held = store.lock(DEP, RunLock.Owner.thisProcess("other-run", Instant.now()),
                Duration.ofMinutes(30))) {
            CliRun second = bbr(l.env(), "deployment", "backup", "--artifact-path", root.toString());
            assertThat(second.exitCode()).as(describe(second)).isEqualTo(32);
            assertThat(second.err()).contains("another backup of " + DEP + " is running into " + root,
                    "run other-run (pid " + ProcessHandle.current().pid(), "bbr artifacts unlock " + root
                            + " --deployment " + DEP);
            assertThat(l.requests()).as("refused before the Director is called").isEmpty();
            assertThat(l.scriptCalls(DEP)).isEmpty();
            assertThat(Files.list(root).filter(Files::isDirectory).count()).isZero();
        }
        assertThat(fileNames(root)).noneMatch(f -> f.startsWith(".bbr-lock-"));
    }

    @Test
    void aLockLeftByADeadProcessIsTakenOverWithAWarningAndUnlockRemovesOneByHand() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("dead"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        ObjectNode lock = new ObjectMapper().createObjectNode().put("deployment", DEP).put("run_id", "crashed-run")
                .put("pid", gone.pid()).put("host", RunLock.Hosts.name())
                .put("started_at", Instant.now().toString()).put("refreshed_at", Instant.now().toString());
        Files.writeString(root.resolve(".bbr-lock-" + DEP + ".json"), lock.toString());

        CliRun b = bbr(l.env(), "deployment", "backup", "--artifact-path", root.toString());
        assertThat(b.exitCode()).as(describe(b)).isZero();
        assertThat(b.out()).contains("WARN - Took over the run lock of " + DEP + " in " + root
                + " from run crashed-run", "its process is gone");
        assertThat(fileNames(root)).noneMatch(f -> f.startsWith(".bbr-lock-"));

        Files.writeString(root.resolve(".bbr-lock-" + DEP + ".json"), lock.toString());
        Files.writeString(root.resolve(".bbr-lock-other.json"), lock.put("deployment", "other").toString());
        CliRun one = bbr(l.env(), "artifacts", "unlock", root.toString(), "--deployment", DEP);
        assertThat(one.exitCode()).as(describe(one)).isZero();
        assertThat(one.out()).contains("removed the run lock of " + DEP + " in " + root + ", held by run crashed-run");
        assertThat(fileNames(root)).contains(".bbr-lock-other.json").doesNotContain(".bbr-lock-" + DEP + ".json");
        CliRun none = bbr(l.env(), "artifacts", "unlock", root.toString(), "--deployment", DEP);
        assertThat(none.out()).contains("No run lock of " + DEP + " in " + root);
    }

    // ------------------------------------------------------------------ helpers

    private CliRun restore(Path artifact, String... extra) {
        List<String> args = new ArrayList<>(List.of("deployment", "restore", "--artifact-path", artifact.toString()));
        args.addAll(List.of(extra));
        return bbr(l.env(), args.toArray(String[]::new));
    }

    private CliRun verify(Path backup, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("artifacts", "verify", backup.toString(), "--no-record"));
        args.addAll(extra);
        return bbr(l.env(), args.toArray(String[]::new));
    }

    private static JsonNode index(JsonNode backups) {
        ObjectNode byName = new ObjectMapper().createObjectNode();
        backups.forEach(b -> byName.set(b.path("backup").asText(), b));
        return byName;
    }

    private static Path copyAs(Path backup, Path root, String name) throws IOException {
        Path copy = Files.createDirectories(root.resolve(name));
        try (Stream<Path> s = Files.list(backup)) {
            for (Path f : s.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    private static void flipByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long mid = f.length() / 2;
            f.seek(mid);
            int b = f.read();
            f.seek(mid);
            f.write(b ^ 0x01);
        }
    }

    private static void truncate(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
    }

    private static String publicKey(Path identityFile) throws Exception {
        return run(null, "age-keygen", "-y", identityFile.toString()).strip();
    }

    private static String run(Path cwd, String... argv) throws IOException, InterruptedException {
        return RestoreE2eSupport.run(cwd, argv);
    }

    /** Debian's age and zstd are what the recovery procedure uses: CI installs them, a laptop may not have them. */
    private static void requireTools(String... tools) {
        for (String tool : tools) {
            boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
            if (!found) {
                String why = tool + " is not installed (scripts/install-prerequisites installs it)";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(why);
                }
                Assumptions.abort(why);
            }
        }
    }
}
