package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.DEP;
import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.callsOf;
import static dev.bbr.cli.e2e.RestoreE2eSupport.copyBackup;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.failScript;
import static dev.bbr.cli.e2e.RestoreE2eSupport.fileNames;
import static dev.bbr.cli.e2e.RestoreE2eSupport.localChecksums;
import static dev.bbr.cli.e2e.RestoreE2eSupport.ns;
import static dev.bbr.cli.e2e.RestoreE2eSupport.onlyBackupDir;
import static dev.bbr.cli.e2e.RestoreE2eSupport.run;
import static dev.bbr.cli.e2e.RestoreE2eSupport.sha256Tree;
import static dev.bbr.cli.e2e.RestoreE2eSupport.stateChangingRequests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bbr deployment … restore} and {@code restore-cleanup} against the lab's default deployment
 * (database×2: data, lock-recorder, ordered-a, backup-one-restore-all; web×1: ordered-b,
 * lock-recorder, failing, slow). One backup is taken once and restored by every scenario.
 */
class RestoreE2ETest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/default.yml");

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static Path backup;

    private Lab l;
    private LabInstance db0;
    private LabInstance db1;
    private LabInstance web0;

    @BeforeEach
    void reset() throws Exception {
        l = lab.get();
        db0 = l.instance(DEP, "database", 0);
        db1 = l.instance(DEP, "database", 1);
        web0 = l.instance(DEP, "web", 0);
        RestoreE2eSupport.resetInstances(l, DEP);
        if (backup == null) {
            CliRun b = bbr(l.env(), "deployment", "backup", "--artifact-path", shared.toString());
            assertThat(b.exitCode()).as(describe(b)).isZero();
            backup = onlyBackupDir(shared);
            RestoreE2eSupport.resetInstances(l, DEP);
        }
    }

    private CliRun restore(Path artifact, String... extra) {
        List<String> args = new ArrayList<>(List.of("deployment", "restore", "--artifact-path", artifact.toString()));
        args.addAll(List.of(extra));
        return bbr(l.env(), args.toArray(String[]::new));
    }

    private void assertCleanedUp() {
        for (LabInstance vm : l.instances(DEP)) {
            assertThat(vm.exec("test -e /var/vcap/store/bbr-backup").exitCode()).as("bbr-backup left on %s", vm)
                    .isNotZero();
        }
        assertThat(l.boshUsers()).as("bosh_ users left").isEmpty();
    }

    @Test
    void roundTripRestoresEveryFileByteForByte() throws Exception {
        Map<String, String> before0 = sha256Tree(db0, "/var/vcap/store/data");
        Map<String, String> before1 = sha256Tree(db1, "/var/vcap/store/data");
        assertThat(before0).containsKeys("./top.txt", "./it's quoted.txt", "./nested/dir one/file with spaces.bin",
                "./nested/dir one/deeper/empty file");
        assertThat(before0).isNotEqualTo(before1); // random per instance: a swapped restore would show

        exec(db0, "rm -rf /var/vcap/store/data");
        exec(db1, "rm -rf /var/vcap/store/data");
        assertThat(sha256Tree(db0, "/var/vcap/store/data")).isEmpty();

        CliRun r = restore(backup);
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(sha256Tree(db0, "/var/vcap/store/data")).isEqualTo(before0);
        assertThat(sha256Tree(db1, "/var/vcap/store/data")).isEqualTo(before1);
        assertThat(r.out()).contains("Completed restore of " + DEP);
        assertCleanedUp();
        // every restorable job ran its restore script once per instance
        List<String> restores = callsOf(l.scriptCalls(DEP), "restore");
        assertThat(restores).hasSize(12); // 4 jobs on each of the 3 instances
        assertThat(restores).allMatch(c -> c.contains("BBR_ARTIFACT_DIRECTORY=/var/vcap/store/bbr-backup/"));
    }

    /** Issue 4's CLI check in basic mode (the default lab's Director uses basic auth). */
    @Test
    void preBackupCheckInBasicMode() {
        CliRun r = bbr(l.env(), "deployment", "pre-backup-check");
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(r.out()).containsPattern("\\[\\d{2}:\\d{2}:\\d{2}\\] Deployment '" + DEP + "' can be backed up\\.");
        assertThat(l.requests()).filteredOn(q -> !q.path().equals("/info")).isNotEmpty()
                .allMatch(q -> q.authKind().equals("basic"), "basic auth");
        assertThat(l.requests()).anyMatch(q -> q.line().equals("GET /deployments/" + DEP + "/vms?format=full"));
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void backupOneRestoreAllRestoresTheBootstrapArtifactOnEveryInstance() throws Exception {
        String custom = "backup-one-restore-all-lab-release-backup-one-restore-all";
        // bbr: the bootstrap's artifact becomes the custom one; the others keep an ordinary artifact
        assertThat(fileNames(backup)).contains(custom + ".tar", "database-1-backup-one-restore-all.tar")
                .doesNotContain("database-0-backup-one-restore-all.tar");
        assertThat(Files.readString(backup.resolve("metadata"))).contains("custom_artifacts:", "- name: " + custom);

        CliRun r = restore(backup);
        assertThat(r.exitCode()).as(describe(r)).isZero();
        for (LabInstance vm : List.of(db0, db1)) {
            String log = exec(vm, "cat /var/vcap/store/backup-one-restore-all/restored.log");
            assertThat(log.strip().split("\n")).as("restored.log on %s", vm).hasSize(1);
            assertThat(log).contains(" database/" + vm.index() + " /var/vcap/store/bbr-backup/" + custom,
                    "database/0 " + db0.id() + " bootstrap=true");
        }
    }

    @Test
    void locksInRestoreOrderUnlocksInReverseAndScriptsRunBetween() {
        CliRun r = restore(backup);
        assertThat(r.exitCode()).as(describe(r)).isZero();

        List<String> events = l.lockEvents(DEP);
        long lockA = firstNs(events, "ordered-a lock");
        long lockB = firstNs(events, "ordered-b lock");
        long unlockA = firstNs(events, "ordered-a unlock");
        long unlockB = firstNs(events, "ordered-b unlock");
        assertThat(lastNs(events, "ordered-a lock")).as("every ordered-a locks before ordered-b: %s", events)
                .isLessThan(lockB);
        assertThat(lastNs(events, "ordered-b unlock")).as("ordered-b unlocks before ordered-a: %s", events)
                .isLessThan(unlockA);
        assertThat(lockA).isLessThan(unlockB);
        // lock-recorder: locked and unlocked on all three instances
        assertThat(events.stream().filter(e -> e.endsWith(" lock-recorder lock"))).hasSize(3);
        assertThat(events.stream().filter(e -> e.endsWith(" lock-recorder unlock"))).hasSize(3);

        List<String> calls = l.scriptCalls(DEP);
        long lastLock = callsOf(calls, "pre-restore-lock").stream().mapToLong(RestoreE2eSupport::ns).max()
                .orElseThrow();
        List<String> restores = callsOf(calls, "restore");
        long firstUnlock = callsOf(calls, "post-restore-unlock").stream().mapToLong(RestoreE2eSupport::ns).min()
                .orElseThrow();
        assertThat(restores.stream().mapToLong(RestoreE2eSupport::ns).min().orElseThrow()).isGreaterThan(lastLock);
        assertThat(restores.stream().mapToLong(RestoreE2eSupport::ns).max().orElseThrow()).isLessThan(firstUnlock);
        // no backup-side scripts during a restore
        assertThat(callsOf(calls, "pre-backup-lock")).isEmpty();
        assertThat(callsOf(calls, "backup")).isEmpty();
    }

    @Test
    void restoreFailureStillUnlocksAndExits1() {
        failScript(db1, "data", "restore", "disk on fire");
        CliRun r = restore(backup);
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(r.err()).contains("disk on fire").containsPattern("restore for job data on database/");
        List<String> events = l.lockEvents(DEP);
        assertThat(events.stream().filter(e -> e.endsWith(" unlock"))).as("unlocks after failed restore: %s", events)
                .hasSize(6); // lock-recorder×3, ordered-a×2, ordered-b
        assertCleanedUp();
    }

    @Test
    void unlockFailureExits8() {
        failScript(web0, "lock-recorder", "post-restore-unlock", "cannot unlock");
        CliRun r = restore(backup);
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(8);
        assertThat(r.err()).contains("cannot unlock");
        // the other unlocks still ran
        assertThat(l.lockEvents(DEP).stream().filter(e -> e.endsWith("ordered-a unlock"))).hasSize(2);
        assertCleanedUp();
    }

    @Test
    void restoreAndUnlockFailureExits9() {
        failScript(web0, "slow", "restore", "restore broke");
        failScript(db0, "lock-recorder", "post-restore-unlock", "unlock broke");
        CliRun r = restore(backup);
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(9);
        assertThat(r.err()).contains("restore broke", "unlock broke");
        assertCleanedUp();
    }

    @Test
    void preRestoreLockFailureSkipsRestoreButUnlocks() {
        failScript(web0, "ordered-b", "pre-restore-lock", "lock refused");
        CliRun r = restore(backup);
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(r.err()).contains("lock refused");
        List<String> calls = l.scriptCalls(DEP);
        assertThat(callsOf(calls, "restore")).as("no restore after a failed lock").isEmpty();
        assertThat(callsOf(calls, "post-restore-unlock")).isNotEmpty();
        assertCleanedUp();
    }

    @Test
    void maxInFlightOneRestoresOneScriptAtATime() {
        // every restore script records its [start, end] span, padded by a short sleep
        String params = "if [ \"$LAB_SCRIPT_NAME\" = restore ]; then __s=$(date +%s%N); sleep 0.2; "
                + "trap 'echo \"$__s $(date +%s%N) $LAB_INSTANCE $LAB_JOB\" >> /var/vcap/sys/log/lab/restore-spans.log'"
                + " EXIT; fi\n";
        for (LabInstance vm : l.instances(DEP)) {
            for (String job : List.of("data", "lock-recorder", "ordered-a", "ordered-b", "backup-one-restore-all",
                    "failing", "slow")) {
                exec(vm, "mkdir -p /var/vcap/store/lab-params && cat > /var/vcap/store/lab-params/" + job
                        + ".env <<'EOF'\n" + params + "EOF");
            }
        }
        CliRun r = restore(backup, "--max-in-flight", "1");
        assertThat(r.exitCode()).as(describe(r)).isZero();
        List<long[]> spans = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (LabInstance vm : l.instances(DEP)) {
            for (String line : exec(vm, "cat /var/vcap/sys/log/lab/restore-spans.log").strip().split("\n")) {
                String[] f = line.split(" ");
                spans.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
                lines.add(line);
            }
        }
        assertThat(spans).as("%s", lines).hasSize(12);
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i)[0]).as("restore scripts overlap: %s", lines).isGreaterThan(spans.get(i - 1)[1]);
        }
    }

    @Test
    void restoreCleanupUnlocksRemovesLeftoversAndSshUsers() {
        exec(db0, "mkdir -p /var/vcap/store/bbr-backup/data && echo leftover > /var/vcap/store/bbr-backup/data/x");
        // a restore refuses to run over the leftover
        CliRun refused = restore(backup);
        assertThat(refused.exitCode()).as(describe(refused)).isNotZero();
        assertThat(refused.err()).contains("Directory /var/vcap/store/bbr-backup already exists on instance database/");
        assertThat(callsOf(l.scriptCalls(DEP), "pre-restore-lock")).isEmpty();
        RestoreE2eSupport.resetInstances(l, DEP);
        exec(db0, "mkdir -p /var/vcap/store/bbr-backup/data && echo leftover > /var/vcap/store/bbr-backup/data/x");

        CliRun r = bbr(l.env(), "deployment", "restore-cleanup");
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(r.out()).contains("'" + DEP + "' cleaned up");
        List<String> calls = l.scriptCalls(DEP);
        // lock-recorder×3, ordered-a×2, ordered-b, failing
        assertThat(callsOf(calls, "post-restore-unlock")).hasSize(7);
        assertThat(callsOf(calls, "pre-restore-lock")).isEmpty();
        assertThat(callsOf(calls, "restore")).isEmpty();
        List<String> events = l.lockEvents(DEP);
        assertThat(lastNs(events, "ordered-b unlock")).isLessThan(firstNs(events, "ordered-a unlock"));
        assertCleanedUp();
        assertThat(stateChangingRequests(l)).anyMatch(s -> s.equals("POST /deployments/" + DEP + "/ssh"));
    }

    // ------------------------------------------------------------------ corrupt artifacts

    private void assertRefusedBeforeSsh(CliRun r, String... messages) {
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(r.err()).as(describe(r)).contains(messages);
        assertThat(stateChangingRequests(l)).as("no state-changing Director call").isEmpty();
        assertThat(l.requests()).noneMatch(q -> q.path().endsWith("/ssh"));
        assertThat(l.scriptCalls(DEP)).isEmpty();
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void flippedByteInATarIsRefused() throws Exception {
        Path copy = copyBackup(backup, tmp);
        Path tar = copy.resolve("database-0-data.tar");
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            long mid = f.length() / 2; // inside the 64 KiB random file
            f.seek(mid);
            int b = f.read();
            f.seek(mid);
            f.write(b ^ 0x01);
        }
        CliRun r = restore(copy);
        assertRefusedBeforeSsh(r, "error 1:\nBackup is corrupted, checksum failed for database/0 data",
                "./data/nested/dir one/file with spaces.bin");
    }

    @Test
    void missingTarIsRefused() throws Exception {
        Path copy = copyBackup(backup, tmp);
        Files.delete(copy.resolve("web-0-slow.tar"));
        CliRun r = restore(copy);
        assertRefusedBeforeSsh(r, "Could not validate backup: Error calculating checksum for artifact", "web-0-slow.tar");
        assertThat(r.err()).contains("no such file or directory");
    }

    @Test
    void editedMetadataChecksumIsRefused() throws Exception {
        Path copy = copyBackup(backup, tmp);
        Path metadata = copy.resolve("metadata");
        String yaml = Files.readString(metadata);
        Matcher m = Pattern.compile("(\\./data/top\\.txt: )([0-9a-f])").matcher(yaml);
        assertThat(m.find()).as(yaml).isTrue();
        char flipped = m.group(2).equals("0") ? '1' : '0';
        Files.writeString(metadata, yaml.substring(0, m.start(2)) + flipped + yaml.substring(m.end(2)));
        CliRun r = restore(copy);
        assertRefusedBeforeSsh(r, "error 1:\nBackup is corrupted", "./data/top.txt");
    }

    @Test
    void tarWithDotDotEntryIsRefused() throws Exception {
        Path copy = copyBackup(backup, tmp);
        Path work = Files.createDirectories(tmp.resolve("evil/inner"));
        Files.writeString(tmp.resolve("evil/x"), "escape\n");
        // GNU tar keeps "../x" only with --absolute-names
        run(work, "tar", "--absolute-names", "-rf", copy.resolve("web-0-ordered-b.tar").toString(), "../x");
        assertThat(run(null, "tar", "-tf", copy.resolve("web-0-ordered-b.tar").toString())).contains("../x");
        CliRun r = restore(copy);
        assertRefusedBeforeSsh(r, "error 1:\nBackup is corrupted", "web-0-ordered-b.tar", "../x");
    }

    @Test
    void backupOfAnotherTopologyIsRefusedBeforeAnythingRuns() throws Exception {
        Path copy = copyBackup(backup, tmp);
        for (String name : fileNames(copy)) {
            if (name.startsWith("database-1-")) {
                Files.move(copy.resolve(name), copy.resolve(name.replace("database-1-", "database-7-")));
            }
        }
        Path metadata = copy.resolve("metadata");
        String yaml = Files.readString(metadata);
        assertThat(yaml).contains("- name: database\n  index: \"1\"\n");
        Files.writeString(metadata, yaml.replace("- name: database\n  index: \"1\"\n", "- name: database\n  index: \"7\"\n"));

        CliRun r = restore(copy);
        assertThat(r.exitCode()).as(describe(r)).isEqualTo(1);
        assertThat(r.err()).contains("Deployment '" + DEP + "' does not match the structure of the provided backup",
                "database/7");
        List<String> calls = l.scriptCalls(DEP);
        assertThat(callsOf(calls, "pre-restore-lock")).isEmpty();
        assertThat(callsOf(calls, "restore")).isEmpty();
        assertCleanedUp();
    }

    // ------------------------------------------------------------------ Go bbr artifact

    /**
     * Re-packs the backup the way the Go bbr writes it (GNU tar of the artifact directory, hand
     * written metadata: quoted index, ./-prefixed keys, local-time backup_activity with a zone
     * abbreviation, custom_artifacts, no BACKUP-INCOMPLETE marker) and restores it.
     */
    @Test
    void restoresAnArtifactInTheGoBbrFormat() throws Exception {
        Path go = Files.createDirectories(tmp.resolve("lab-deployment_20240102T140405Z"));
        Map<String, Map<String, Map<String, String>>> instances = new LinkedHashMap<>(); // "group/idx" -> job -> sums
        Map<String, Map<String, String>> customs = new LinkedHashMap<>();
        for (String name : fileNames(backup)) {
            if (!name.endsWith(".tar")) {
                continue;
            }
            Path x = Files.createDirectories(tmp.resolve("x").resolve(name));
            run(null, "tar", "-C", x.toString(), "-xf", backup.resolve(name).toString());
            run(null, "tar", "-C", x.toString(), "-cf", go.resolve(name).toString(), ".");
            Map<String, String> sums = localChecksums(x);
            Matcher m = Pattern.compile("(database|web)-(\\d+)-(.+)\\.tar").matcher(name);
            if (m.matches()) {
                instances.computeIfAbsent(m.group(1) + "/" + m.group(2), k -> new LinkedHashMap<>())
                        .put(m.group(3), sums);
            } else {
                customs.put(name.substring(0, name.length() - 4), sums);
            }
        }
        assertThat(customs).hasSize(1);
        StringBuilder y = new StringBuilder("instances:\n");
        instances.forEach((inst, jobs) -> {
            String[] gi = inst.split("/");
            y.append("- name: ").append(gi[0]).append("\n  index: \"").append(gi[1]).append("\"\n  artifacts:\n");
            jobs.forEach((job, sums) -> {
                y.append("  - name: ").append(job).append("\n    checksums:\n");
                sums.forEach((k, v) -> y.append("      ").append(yamlKey(k)).append(": ").append(v).append('\n'));
            });
        });
        y.append("custom_artifacts:\n");
        customs.forEach((name, sums) -> {
            y.append("- name: ").append(name).append("\n  checksums:\n");
            sums.forEach((k, v) -> y.append("    ").append(yamlKey(k)).append(": ").append(v).append('\n'));
        });
        y.append("backup_activity:\n  start_time: 2024/01/02 15:04:05 CET\n  finish_time: 2024/01/02 15:09:11 CET\n");
        Files.writeString(go.resolve("metadata"), y.toString(), StandardCharsets.UTF_8);
        assertThat(y.toString()).contains("./data/nested/dir one/file with spaces.bin", "index: \"0\"");
        assertThat(fileNames(go)).doesNotContain("BACKUP-INCOMPLETE");

        Map<String, String> before0 = sha256Tree(db0, "/var/vcap/store/data");
        Map<String, String> before1 = sha256Tree(db1, "/var/vcap/store/data");
        exec(db0, "rm -rf /var/vcap/store/data");
        exec(db1, "rm -rf /var/vcap/store/data");
        CliRun r = restore(go);
        assertThat(r.exitCode()).as(describe(r) + "\n--- metadata ---\n" + y).isZero();
        assertThat(sha256Tree(db0, "/var/vcap/store/data")).isEqualTo(before0);
        assertThat(sha256Tree(db1, "/var/vcap/store/data")).isEqualTo(before1);
        assertThat(exec(db1, "cat /var/vcap/store/backup-one-restore-all/restored.log")).contains("bootstrap=true");
        assertCleanedUp();
    }

    /** yaml.v2 quotes keys with characters that would otherwise be ambiguous ("it's" → single-quoted). */
    private static String yamlKey(String k) {
        return k.contains("'") || k.contains(": ") || k.contains("#") ? "'" + k.replace("'", "''") + "'" : k;
    }

    private static long firstNs(List<String> events, String suffix) {
        return events.stream().filter(e -> e.endsWith(" " + suffix)).mapToLong(RestoreE2eSupport::ns).min()
                .orElseThrow(() -> new AssertionError("no '" + suffix + "' in " + events));
    }

    private static long lastNs(List<String> events, String suffix) {
        return events.stream().filter(e -> e.endsWith(" " + suffix)).mapToLong(RestoreE2eSupport::ns).max()
                .orElseThrow(() -> new AssertionError("no '" + suffix + "' in " + events));
    }
}
