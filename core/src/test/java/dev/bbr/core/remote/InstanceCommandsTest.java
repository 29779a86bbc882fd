package dev.bbr.core.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.bbr.artifacts.tar.RemoteSha256Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands run on instances. Besides their exact text, the ones whose shell semantics matter
 * run through a real bash here, with {@code sudo -n} left out (the tests need no root).
 */
@Timeout(60)
class InstanceCommandsTest {
    private static final String RUN_ID = "0123abcd4567ef890123abcd4567ef89";

    @TempDir
    Path tmp;

    @Test
    void aScriptWithoutRunIdRunsUnderSudoWithItsEnvironmentQuoted() {
        assertThat(InstanceCommands.runScript("/var/vcap/jobs/redis/bin/bbr/metadata", Map.of()))
                .isEqualTo("sudo -n '/var/vcap/jobs/redis/bin/bbr/metadata'");
        assertThat(InstanceCommands.runScript("/var/vcap/jobs/redis/bin/bbr/metadata", Map.of("BBR_VERSION", "1.9.0")))
                .isEqualTo("sudo -n env BBR_VERSION='1.9.0' '/var/vcap/jobs/redis/bin/bbr/metadata'");
        assertThat(InstanceCommands.runScript("/var/vcap/jobs/a/bin/bbr/post-backup-unlock",
                Map.of("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "false"), null))
                .isEqualTo("sudo -n env BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL='false'"
                        + " '/var/vcap/jobs/a/bin/bbr/post-backup-unlock'");
    }

    @Test
    void aScriptWithRunIdRunsUnderTimeoutZeroTaggedWithTheRunId() {
        assertThat(InstanceCommands.runScript("/var/vcap/jobs/redis/bin/bbr/backup", Map.of(), RUN_ID))
                .isEqualTo("sudo -n timeout -k 10 0 env BBR_RUN_ID='" + RUN_ID + "'"
                        + " '/var/vcap/jobs/redis/bin/bbr/backup'");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BBR_ARTIFACT_DIRECTORY", "/var/vcap/store/bbr-backup/redis/");
        env.put("ARTIFACT_DIRECTORY", "/var/vcap/store/bbr-backup/redis/");
        assertThat(InstanceCommands.runScript("/var/vcap/jobs/redis/bin/bbr/backup", env, RUN_ID))
                .isEqualTo("sudo -n timeout -k 10 0 env BBR_RUN_ID='" + RUN_ID + "'"
                        + " BBR_ARTIFACT_DIRECTORY='/var/vcap/store/bbr-backup/redis/'"
                        + " ARTIFACT_DIRECTORY='/var/vcap/store/bbr-backup/redis/'"
                        + " '/var/vcap/jobs/redis/bin/bbr/backup'");
    }

    @Test
    void oddScriptPathsAndEnvironmentValuesReachTheScriptExactly() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("job's dir $(id) `x`"));
        Path script = dir.resolve("back up; rm -rf \"nothing\"");
        Files.writeString(script, "#!/bin/sh\nprintf '%s|%s|%s' \"$BBR_RUN_ID\" \"$ODD\" \"$0\"\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        String odd = "it's \"quoted\" $HOME `id` $(id) ; && \n second line \\ * ?";
        Map<String, String> env = Map.of("ODD", odd);

        String tagged = InstanceCommands.runScript(script.toString(), env, RUN_ID);
        String plain = InstanceCommands.runScript(script.toString(), env);

        assertThat(bash(withoutSudo(tagged)).stdout).isEqualTo(RUN_ID + "|" + odd + "|" + script);
        assertThat(bash(withoutSudo(plain)).stdout).isEqualTo("|" + odd + "|" + script);
    }

    @Test
    void aTaggedScriptsExitCodeIsThatOfTheScript() throws Exception {
        Path script = tmp.resolve("fails");
        Files.writeString(script, "#!/bin/sh\necho broke >&2\nexit 3\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();

        Result result = bash(withoutSudo(InstanceCommands.runScript(script.toString(), Map.of(), RUN_ID)));

        assertThat(result.exitCode).isEqualTo(3);
        assertThat(result.stderr).isEqualTo("broke\n");
    }

    @Test
    void theBackupStepMakesTheDirectoryRunsTheScriptAndMeasuresInOneShell() throws Exception {
        Path dir = tmp.resolve("bbr-backup/job's \"dir\"");
        Path script = tmp.resolve("back up $(id)");
        Files.writeString(script, "#!/bin/sh\nprintf '%s|%s|%s' \"$BBR_RUN_ID\" \"$BBR_ARTIFACT_DIRECTORY\""
                + " \"$ARTIFACT_DIRECTORY\"\nhead -c 1000 /dev/zero > \"$BBR_ARTIFACT_DIRECTORY/data\"\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();

        Result result = bash(withoutSudo(InstanceCommands.backupStep(script.toString(), dir.toString(), RUN_ID,
                "\nsize-marker ")));

        assertThat(result.exitCode).isZero();
        assertThat(result.stdout).startsWith(RUN_ID + "|" + dir + "/|" + dir + "/\nsize-marker ").endsWith("\t" + dir + "\n");
        long measured = Long.parseLong(result.stdout.replaceAll("(?s).*size-marker (\\d+)\t.*", "$1"));
        assertThat(measured).as("du -sb: the file and the directory entries").isBetween(1000L, 1000L + 3 * 4096);
    }

    @Test
    void aFailingBackupScriptIsNotMeasuredAndKeepsItsExitCode() throws Exception {
        Path script = tmp.resolve("fails");
        Files.writeString(script, "#!/bin/sh\necho broke >&2\nexit 3\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();

        Result result = bash(withoutSudo(InstanceCommands.backupStep(script.toString(), tmp.resolve("d").toString(),
                RUN_ID, "\nsize-marker ")));

        assertThat(result.exitCode).isEqualTo(3);
        assertThat(result.stdout).isEmpty();
        assertThat(result.stderr).isEqualTo("broke\n");
    }

    @Test
    void onlyTimeoutCarriesTheRunIdInTheBackupStepSoStopRunStopsTheScriptNotTheShell() throws Exception {
        Pattern pattern = Pattern.compile(argv(InstanceCommands.stopRun(RUN_ID)).get(5));
        String step = InstanceCommands.backupStep("/var/vcap/jobs/a/bin/bbr/backup", "/var/vcap/store/bbr-backup/a",
                RUN_ID, "\nbbr-artifact-size-" + RUN_ID + " ");
        List<String> sudo = argv(step);

        assertThat(pattern.matcher(String.join(" ", sudo)).find()).as("sudo and sh").isFalse();
        // what timeout is started with once sh has expanded its arguments
        String timeout = sudo.get(4).replaceAll("^.*?(timeout .*?\"\\$3\").*$", "$1").replace("\"$2\"", sudo.get(7))
                .replace("\"$1/\"", sudo.get(6) + "/").replace("\"$3\"", sudo.get(8));
        assertThat(timeout).isEqualTo("timeout -k 10 0 env BBR_RUN_ID=" + RUN_ID + " BBR_ARTIFACT_DIRECTORY="
                + "/var/vcap/store/bbr-backup/a/ ARTIFACT_DIRECTORY=/var/vcap/store/bbr-backup/a/"
                + " /var/vcap/jobs/a/bin/bbr/backup");
        assertThat(pattern.matcher(timeout).find()).isTrue();
    }

    @Test
    void stopRunIsPkillOfTheRunIdWithABracketedFirstCharacter() {
        assertThat(InstanceCommands.stopRun(RUN_ID))
                .isEqualTo("sudo -n pkill -TERM -f 'BBR_RUN_ID=[0]123abcd4567ef890123abcd4567ef89'");
    }

    @Test
    void stopRunsPatternMatchesTheRunsProcessesButNotItselfNorAnotherRun() throws Exception {
        List<String> pkill = argv(InstanceCommands.stopRun(RUN_ID));
        assertThat(pkill).containsExactly("sudo", "-n", "pkill", "-TERM", "-f", "BBR_RUN_ID=[0]" + RUN_ID.substring(1));
        Pattern pattern = Pattern.compile(pkill.get(5));
        String otherRun = "fedc" + RUN_ID.substring(4);
        String script = InstanceCommands.runScript("/var/vcap/jobs/a/bin/bbr/restore", Map.of("K", "v"), RUN_ID);
        String stop = InstanceCommands.stopRun(RUN_ID);

        // what pkill -f sees: the processes' arguments as sudo and timeout received them
        assertThat(pattern.matcher(commandLine(script)).find()).isTrue();
        assertThat(pattern.matcher(commandLine(InstanceCommands.tarToStdout("/var/vcap/store/bbr-backup/a", RUN_ID)))
                .find()).isTrue();
        assertThat(pattern.matcher(commandLine(InstanceCommands.untarFromStdin("/var/vcap/store/bbr-backup/a",
                RUN_ID))).find()).isTrue();
        // pkill's own process and the shell that started it
        assertThat(pattern.matcher(commandLine(stop)).find()).as("pkill's arguments").isFalse();
        assertThat(pattern.matcher(stop).find()).as("the shell running pkill").isFalse();
        assertThat(pattern.matcher(commandLine(InstanceCommands.runScript("/x", Map.of(), otherRun))).find())
                .as("another run").isFalse();
        assertThat(pattern.matcher(commandLine(InstanceCommands.runScript("/var/vcap/jobs/a/bin/bbr/post-backup-unlock",
                Map.of("BBR_AFTER_BACKUP_SCRIPTS_SUCCESSFUL", "true")))).find()).as("untagged unlock").isFalse();
    }

    @Test
    void stopRunFindsAndStopsTheTaggedProcessOnlyWithRealPkill() throws Exception {
        assumeThat(onPath("pgrep") && onPath("pkill") && onPath("timeout")).as("procps and coreutils").isTrue();
        String otherRun = "fedc" + RUN_ID.substring(4);
        // the same shape as a stoppable script: timeout keeps the run id in its arguments
        Process ours = new ProcessBuilder("timeout", "-k", "10", "0", "env", "BBR_RUN_ID=" + RUN_ID, "sleep", "60")
                .start();
        Process other = new ProcessBuilder("timeout", "-k", "10", "0", "env", "BBR_RUN_ID=" + otherRun, "sleep", "60")
                .start();
        try {
            // until env has become sleep, its own arguments still name the run
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runsSleep(ours) && runsSleep(other));
            String stop = withoutSudo(InstanceCommands.stopRun(RUN_ID));
            String find = stop.replace("pkill -TERM -f", "pgrep -f");
            Result found = bash(find);
            assertThat(found.exitCode).isZero();
            assertThat(found.stdout.strip().split("\n")).as("pgrep finds the tagged process, not the shell running it")
                    .containsExactly(Long.toString(ours.pid()));

            Result stopped = bash(stop);

            assertThat(stopped.exitCode).isZero();
            assertThat(ours.waitFor(10, TimeUnit.SECONDS)).as("the tagged process ended").isTrue();
            assertThat(other.isAlive()).as("another run's process").isTrue();
            assertThat(bash(stop).exitCode).as("nothing left to stop").isEqualTo(1);
        } finally {
            ours.destroyForcibly();
            other.destroyForcibly();
            ours.waitFor(10, TimeUnit.SECONDS);
            other.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRunIdMustBeEightToSixtyFourSafeCharacters() {
        for (String bad : Arrays.asList(null, "", "short", "has space 123", "quote'1234", "semi;colon1",
                "a".repeat(65), "dollar$12345", "new\nline12")) {
            assertThatThrownBy(() -> InstanceCommands.stopRun(bad)).as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("not a run id: " + bad);
            if (bad != null) { // null means "not stoppable" to the other commands
                assertThatThrownBy(() -> InstanceCommands.tarToStdout("/d", bad)).as("%s", bad)
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> InstanceCommands.runScript("/s", Map.of(), bad)).as("%s", bad)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(InstanceCommands.stopRun("ab-cd-ef")).isEqualTo("sudo -n pkill -TERM -f 'BBR_RUN_ID=[a]b-cd-ef'");
        assertThat(InstanceCommands.stopRun("a".repeat(64))).contains("[a]" + "a".repeat(63));
    }

    @Test
    void fileCommandsQuoteTheirPath() {
        String dir = "/var/vcap/store/bbr-backup/it's";
        assertThat(InstanceCommands.exists("/var/vcap/store/bbr-backup"))
                .isEqualTo("sudo -n stat '/var/vcap/store/bbr-backup'");
        assertThat(InstanceCommands.makeDirectory(dir)).isEqualTo("sudo -n mkdir -p '/var/vcap/store/bbr-backup/it'\\''s'");
        assertThat(InstanceCommands.remove(dir)).isEqualTo("sudo -n rm -rf '/var/vcap/store/bbr-backup/it'\\''s'");
        assertThat(InstanceCommands.removeArtifactRoot()).isEqualTo("sudo -n rm -rf '/var/vcap/store/bbr-backup'");
        assertThat(InstanceCommands.sizeInBytes("/var/vcap/store/bbr-backup/redis"))
                .isEqualTo("sudo -n du -sb '/var/vcap/store/bbr-backup/redis'");
    }

    @Test
    void tarCommandsWithAndWithoutRunId() {
        assertThat(InstanceCommands.tarToStdout("/var/vcap/store/bbr-backup/redis"))
                .isEqualTo("sudo -n tar -C '/var/vcap/store/bbr-backup/redis' -cf - .");
        assertThat(InstanceCommands.tarToStdout("/var/vcap/store/bbr-backup/redis", RUN_ID))
                .isEqualTo("sudo -n timeout -k 10 0 env BBR_RUN_ID='" + RUN_ID + "'"
                        + " tar -C '/var/vcap/store/bbr-backup/redis' -cf - .");
        assertThat(InstanceCommands.untarFromStdin("/var/vcap/store/bbr-backup/redis"))
                .isEqualTo("sudo -n tar -C '/var/vcap/store/bbr-backup/redis' -xf -");
        assertThat(InstanceCommands.untarFromStdin("/var/vcap/store/bbr-backup/redis", RUN_ID))
                .isEqualTo("sudo -n timeout -k 10 0 env BBR_RUN_ID='" + RUN_ID + "'"
                        + " tar -C '/var/vcap/store/bbr-backup/redis' -xf -");
    }

    @Test
    void theTarCommandsRoundTripOddFileNamesThroughRealTar() throws Exception {
        Path from = Files.createDirectories(tmp.resolve("from dir's"));
        Path to = Files.createDirectories(tmp.resolve("to $dir"));
        Files.writeString(from.resolve("plain"), "one");
        Files.writeString(Files.createDirectories(from.resolve("sub dir")).resolve("it's \"odd\""), "two");
        Files.writeString(from.resolve("new\nline"), "three");

        Result tar = bash(withoutSudo(InstanceCommands.tarToStdout(from.toString(), RUN_ID)));
        assertThat(tar.exitCode).isZero();
        Process untar = new ProcessBuilder("bash", "-c", withoutSudo(InstanceCommands.untarFromStdin(to.toString(),
                RUN_ID))).start();
        untar.getOutputStream().write(tar.stdoutBytes);
        untar.getOutputStream().close();

        assertThat(untar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(untar.exitValue()).isZero();
        assertThat(Files.readString(to.resolve("plain"))).isEqualTo("one");
        assertThat(Files.readString(to.resolve("sub dir").resolve("it's \"odd\""))).isEqualTo("two");
        assertThat(Files.readString(to.resolve("new\nline"))).isEqualTo("three");
        assertThat(new String(tar.stdoutBytes, 0, 100, StandardCharsets.UTF_8)).as("first entry").startsWith("./");
    }

    @Test
    void theChecksumCommandHashesEveryRegularFileWithItsExactName() throws Exception {
        assumeThat(onPath("sha256sum")).isTrue();
        Path dir = Files.createDirectories(tmp.resolve("artifact 'dir'"));
        Files.writeString(dir.resolve("a b"), "first");
        Files.writeString(Files.createDirectories(dir.resolve("nested")).resolve("new\nline"), "second");
        Files.writeString(dir.resolve("ünï"), "");
        Files.createDirectories(dir.resolve("empty dir"));

        Result result = bash(withoutSudo(InstanceCommands.checksums(dir.toString())));

        assertThat(result.exitCode).isZero();
        assertThat(RemoteSha256Output.parse(result.stdoutBytes)).containsOnly(
                Map.entry("./a b", sha256("first")), Map.entry("./nested/new\nline", sha256("second")),
                Map.entry("./ünï", sha256("")));
    }

    @Test
    void findScriptsListsOnlyTheFilesOfEachJobsBbrDirectoryNulSeparated() throws Exception {
        Path jobs = Files.createDirectories(tmp.resolve("jobs"));
        Path redis = Files.createDirectories(jobs.resolve("redis/bin/bbr"));
        Files.writeString(redis.resolve("backup"), "");
        Files.writeString(redis.resolve("odd name\nwith newline"), "");
        Files.createDirectories(redis.resolve("subdir"));
        Files.writeString(redis.resolve("subdir/restore"), "");
        Files.createDirectories(jobs.resolve("noscripts/bin"));
        Files.writeString(Files.createDirectories(jobs.resolve("web/bin/bbr")).resolve("restore"), "");
        String command = withoutSudo(InstanceCommands.findScripts()).replace("/var/vcap/jobs", jobs.toString());

        Result found = bash(command);

        assertThat(found.exitCode).isZero();
        assertThat(found.stdout).endsWith("\0");
        assertThat(found.stdout.split("\0")).containsExactlyInAnyOrder(redis.resolve("backup").toString(),
                redis.resolve("odd name\nwith newline").toString(), jobs.resolve("web/bin/bbr/restore").toString());
    }

    @Test
    void findScriptsSucceedsWithNothingWhenNoJobHasABbrDirectory() throws Exception {
        Path jobs = Files.createDirectories(tmp.resolve("nojobs"));
        String command = withoutSudo(InstanceCommands.findScripts()).replace("/var/vcap/jobs", jobs.toString());

        Result found = bash(command);

        assertThat(found.exitCode).isZero();
        assertThat(found.stdout).isEmpty();
    }

    // --- helpers

    /** Every command starts with {@code sudo -n }; the tests run it as the current user. */
    private static String withoutSudo(String command) {
        assertThat(command).startsWith("sudo -n ");
        return command.substring("sudo -n ".length());
    }

    /** The arguments bash passes for a command line (each word unquoted), NUL-separated by printf. */
    private static List<String> argv(String command) throws Exception {
        Result words = bash("printf '%s\\0' " + command);
        assertThat(words.exitCode).isZero();
        return List.of(words.stdout.split("\0"));
    }

    /** A process's command line as {@code pgrep -f} matches it: its arguments joined by spaces. */
    private static String commandLine(String command) throws Exception {
        return String.join(" ", argv(command));
    }

    private record Result(int exitCode, byte[] stdoutBytes, String stdout, String stderr) {}

    private static Result bash(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // the process went away
            }
        });
        errReader.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("bash -c %s ended", command).isTrue();
        errReader.join();
        return new Result(p.exitValue(), out, new String(out, StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    private static boolean runsSleep(Process timeout) {
        return timeout.toHandle().children().anyMatch(child -> child.info().command()
                .map(c -> c.endsWith("/sleep")).orElse(false));
    }

    private static boolean onPath(String program) {
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(":")));
        return dirs.stream().anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
