package dev.bbr.cli.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests the packaged distribution: unpacks {@code target/bbr-<version>.tar.gz} (built by {@code package})
 * and runs its {@code bin/bbr} launcher as a user would.
 */
class DistributionIT {
    private static final String VERSION = System.getProperty("bbr.version", "0.1.0");
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    static Path work;

    private static Path home;
    private static Path launcher;

    @BeforeAll
    static void unpackTarball() throws Exception {
        Path tarball = Path.of(System.getProperty("bbr.dist.tarball", "target/bbr-" + VERSION + ".tar.gz"));
        assertThat(tarball).as("built distribution (run `./mvnw package` first)").isRegularFile();
        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        Result tar = run(new ProcessBuilder("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C",
                unpacked.toString()), Map.of());
        assertThat(tar.exit).as("tar -xzf: %s", tar.stderr).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            assertThat(top.map(p -> p.getFileName().toString())).as("single top-level dir")
                    .containsExactly("bbr-" + VERSION);
        }
        home = unpacked.resolve("bbr-" + VERSION);
        launcher = home.resolve("bin/bbr");
    }

    @Test
    void layoutHasLauncherJarsAndCompletion() throws IOException {
        assertThat(launcher).isRegularFile().isExecutable();
        assertThat(Files.readAllLines(launcher).get(0)).isEqualTo("#!/bin/sh");
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            List<String> jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(jars).allMatch(name -> name.endsWith(".jar"))
                    .contains("bbr-cli-" + VERSION + ".jar")
                    .anyMatch(name -> name.startsWith("picocli-"))
                    .anyMatch(name -> name.startsWith("bcprov-jdk18on-"))
                    .noneMatch(name -> name.startsWith("bbr-lab-"))
                    .noneMatch(name -> name.startsWith("junit-"));
        }
    }

    @Test
    void shipsTheServiceExampleAndItsSystemdUnit() throws Exception {
        assertThat(home.resolve("examples/service.yml")).isRegularFile();
        assertThat(Files.readString(home.resolve("systemd/bbr-service.service")))
                .contains("ExecStart=/opt/bbr/bin/bbr service run --config /etc/bbr/service.yml", "KillSignal=SIGTERM");
        Result help = bbr(Map.of(), "service", "--help");
        assertThat(help.exit).as(help.toString()).isZero();
        assertThat(help.stdout).contains("run", "validate");
    }

    @Test
    void versionPrintsTheVersion() throws Exception {
        Result r = bbr(Map.of(), "version");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.stdout).as(r.toString()).contains("bbr version " + VERSION);
        assertThat(r.stderr).as("no JVM noise on stderr").isEmpty();
        assertThat(work.resolve("cache/bbr")).as("AppCDS is opt-in").doesNotExist();
    }

    @Test
    void deploymentHelpListsFlagsAndSubcommands() throws Exception {
        Result r = bbr(Map.of(), "deployment", "--help");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.stdout).as(r.toString()).contains("--target", "--username", "--password", "--deployment",
                "--ca-cert", "--debug", "--all-deployments", "pre-backup-check", "backup", "restore",
                "backup-cleanup", "restore-cleanup");
    }

    @Test
    void forwardsNonZeroExitCode() throws Exception {
        Result r = bbr(Map.of(), "deployment", "backup");
        assertThat(r.exit).as(r.toString()).isEqualTo(1);
    }

    @Test
    void runsThroughASymlink() throws Exception {
        Path links = Files.createDirectories(work.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("bbr"), launcher);
        Path linkToLink = Files.createSymbolicLink(links.resolve("bbr-again"), Path.of("bbr")); // relative
        for (Path l : List.of(link, linkToLink)) {
            Result r = run(command(l.toString(), "version"), Map.of());
            assertThat(r.exit).as(r.toString()).isZero();
            assertThat(r.stdout).as(r.toString()).contains("bbr version " + VERSION);
        }
    }

    @Test
    void jvmNoiseNeverReachesTheUserWhenTheCacheIsUnwritable() throws Exception {
        // a regular file where the cache directory should be: unwritable even for root
        Path blocker = Files.writeString(work.resolve("cache-is-a-file"), "");
        Result r = bbr(Map.of("BBR_CDS", "on", "XDG_CACHE_HOME", blocker.resolve("nested").toString()), "version");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.stdout.strip()).as(r.toString()).isEqualTo("bbr version " + VERSION);
        assertThat(r.stderr).isEmpty();
    }

    @Test
    void classDataArchiveIsCreatedOnFirstRunAndUsedSilentlyAfter() throws Exception {
        Path cache = Files.createDirectories(work.resolve("cds-cache"));
        Map<String, String> env = Map.of("BBR_CDS", "on", "XDG_CACHE_HOME", cache.toString());
        for (int i = 0; i < 2; i++) {
            Result r = bbr(env, "version");
            assertThat(r.exit).as(r.toString()).isZero();
            assertThat(r.stdout.strip()).as(r.toString()).isEqualTo("bbr version " + VERSION);
            assertThat(r.stderr).as("run %d", i).isEmpty();
        }
        try (Stream<Path> files = Files.list(cache.resolve("bbr"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.endsWith(".jsa"))
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void failsClearlyWhenJavaHomeIsNotAJava() throws Exception {
        Path notJava = Files.createDirectories(work.resolve("not-a-jdk"));
        Result r = bbr(Map.of("JAVA_HOME", notJava.toString()), "version");
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.stdout).isEmpty();
        assertThat(r.stderr.strip()).as(r.toString()).startsWith("bbr: ").contains("JAVA_HOME", notJava.toString())
                .doesNotContain("\n");
    }

    @Test
    void refusesJavaOlderThan17() throws Exception {
        // a release file (what the launcher reads first) ...
        Path withRelease = fakeJava("old-jdk-release", "exit 0");
        Files.writeString(withRelease.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        // ... and without one, where it asks `java -version`
        Path withoutRelease = fakeJava("old-jdk-no-release", "echo 'openjdk version \"1.8.0_292\"' >&2; exit 0");
        for (Path jdk : List.of(withRelease, withoutRelease)) {
            Result r = bbr(Map.of("JAVA_HOME", jdk.toString()), "version");
            assertThat(r.exit).as(r.toString()).isEqualTo(1);
            assertThat(r.stderr.strip()).as(r.toString()).startsWith("bbr: ").contains("Java 17")
                    .doesNotContain("\n");
        }
    }

    /** A stand-in java proves the launcher execs it (same pid), keeps arguments intact and passes the exit code. */
    @Test
    void execsJavaWithJavaOptsClasspathAndArgumentsUnchanged() throws Exception {
        Path jdk = fakeJava("fake-jdk", "echo \"pid=$$\"; for a in \"$@\"; do echo \"arg=$a\"; done; exit 42");
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.99\"\n");
        ProcessBuilder pb = command(launcher.toString(), "deployment", "--deployment", "two words", "*");
        Map<String, String> env = Map.of("JAVA_HOME", jdk.toString(), "JAVA_OPTS", "-Dfirst=1  -Dglob=*");
        Process p = start(pb, env);
        Result r = finish(p);
        assertThat(r.exit).as(r.toString()).isEqualTo(42);
        List<String> lines = r.stdout.lines().toList();
        assertThat(lines.get(0)).isEqualTo("pid=" + p.pid());
        List<String> args = lines.stream().filter(l -> l.startsWith("arg=")).map(l -> l.substring(4)).toList();
        assertThat(args).containsSubsequence("-Dfirst=1", "-Dglob=*", "-cp", home.resolve("lib") + "/*",
                "dev.bbr.cli.Main", "deployment", "--deployment", "two words", "*");
        assertThat(args.subList(args.size() - 5, args.size()))
                .containsExactly("dev.bbr.cli.Main", "deployment", "--deployment", "two words", "*");
        assertThat(args).as("real commands keep the JIT's defaults").doesNotContain("-XX:TieredStopAtLevel=1");

        Result help = run(command(launcher.toString(), "deployment", "backup", "--help"), env);
        assertThat(help.stdout.lines()).as("help and version start with C1 only").contains("arg=-XX:TieredStopAtLevel=1");
    }

    @Test
    void completionScriptIsValidBash() throws Exception {
        Path completion = home.resolve("completion/bbr_completion");
        assertThat(completion).isRegularFile();
        String script = Files.readString(completion);
        assertThat(script).contains("complete").contains("deployment").contains("pre-backup-check");
        Result r = run(new ProcessBuilder("bash", "-n", completion.toString()), Map.of());
        assertThat(r.exit).as(r.toString()).isZero();

        // and it completes: what bash does on `bbr deployment --ta<TAB>` and `bbr dep<TAB>`
        String complete = "source \"$1\" 2>/dev/null; c() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1));"
                + " COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _complete_bbr 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"; }; c bbr deployment --ta; c bbr dep; c bbr deployment restore-";
        Result completes = run(new ProcessBuilder("bash", "-c", complete, "bash", completion.toString()), Map.of());
        assertThat(completes.stdout.lines()).as(completes.toString())
                .containsExactly("--target", "deployment", "restore-cleanup");
    }

    // ---------------------------------------------------------------------------------------------

    private static Path fakeJava(String name, String body) throws IOException {
        Path jdk = Files.createDirectories(work.resolve(name));
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return jdk;
    }

    private static Result bbr(Map<String, String> env, String... args) throws Exception {
        return run(command(launcher.toString(), args), env);
    }

    private static ProcessBuilder command(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd);
    }

    private static Result run(ProcessBuilder pb, Map<String, String> env) throws Exception {
        return finish(start(pb, env));
    }

    private static Process start(ProcessBuilder pb, Map<String, String> extraEnv) throws IOException {
        Map<String, String> env = pb.environment();
        // the director/credentials the developer's shell may have must not leak into the child
        env.keySet().removeIf(k -> k.startsWith("BOSH_") || k.equals("CA_CERT") || k.equals("JAVA_OPTS")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS")
                || k.equals("BBR_CDS"));
        env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
        env.putAll(extraEnv);
        pb.directory(work.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    private static Result finish(Process p) throws Exception {
        // drain both pipes concurrently so a chatty child cannot block
        var out = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                out.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.completeExceptionally(e);
            }
        });
        t.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + p.info().commandLine().orElse("?"));
        }
        return new Result(p.exitValue(), out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), err);
    }

    private record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
