package dev.bbr.cli.dist;

import static dev.bbr.cli.e2e.BackupE2eSupport.DEP;
import static dev.bbr.cli.e2e.BackupE2eSupport.fileNames;
import static dev.bbr.cli.e2e.BackupE2eSupport.hostChecksums;
import static dev.bbr.cli.e2e.BackupE2eSupport.metadata;
import static dev.bbr.cli.e2e.BackupE2eSupport.metadataChecksums;
import static dev.bbr.cli.e2e.BackupE2eSupport.onlyBackupDir;
import static dev.bbr.cli.e2e.BackupE2eSupport.readTar;
import static dev.bbr.cli.e2e.BackupE2eSupport.sshdLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.e2e.BackupE2eSupport;
import dev.bbr.cli.e2e.BackupE2eSupport.TarContents;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests the packaged distributions as a user runs them: unpacks {@code target/bbr-<version>.tar.gz} (built by
 * {@code package}) and runs its {@code bin/bbr} launcher; then the self-contained
 * {@code target/bbr-<version>-<platform>.tar.gz}, whose {@code runtime/} must be all the Java it needs: its
 * tests run with no {@code java} on PATH and no JAVA_HOME, up to real backups against the lab.
 */
class DistributionIT {
    private static final String VERSION = System.getProperty("bbr.version", "0.1.0");
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    static Path work;

    private static Path home;
    private static Path launcher;
    /** The unpacked self-contained distribution; see {@link #selfContained()}. */
    private static Path selfContained;

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

    // ------------------------------------------------------------------ the self-contained distribution

    @Test
    void selfContainedLayoutIsThePlainOnePlusARuntime() throws Exception {
        Path sc = selfContained();
        assertThat(sc.resolve("bin/bbr")).isRegularFile().isExecutable().hasSameBinaryContentAs(launcher);
        assertThat(sc.resolve("completion/bbr_completion")).hasSameBinaryContentAs(home.resolve("completion/bbr_completion"));
        assertThat(fileNames(sc.resolve("lib"))).as("the same jars as the plain distribution")
                .isEqualTo(fileNames(home.resolve("lib")));
        for (String jar : fileNames(home.resolve("lib"))) {   // and from the same build, not a stale tarball
            assertThat(sc.resolve("lib").resolve(jar)).hasSameBinaryContentAs(home.resolve("lib").resolve(jar));
        }
        assertThat(fileNames(sc)).containsExactlyInAnyOrder("README", "bin", "completion", "examples", "lib",
                "runtime", "systemd");
        assertThat(Files.readString(sc.resolve("README"))).contains("No Java needed");
        for (String exe : List.of("runtime/bin/java", "runtime/lib/jspawnhelper")) {
            assertThat(sc.resolve(exe)).as(exe).isRegularFile().isExecutable();
        }
        // the default class-data archive (jlink --generate-cds-archive) is there and usable
        assertThat(sc.resolve("runtime/lib/server/classes.jsa")).isRegularFile();
        Result share = run(command(sc.resolve("runtime/bin/java").toString(), "-Xshare:on", "-version"), noJava());
        assertThat(share.exit).as(share.toString()).isZero();
        assertThat(share.stderr).contains("sharing");
    }

    /**
     * The checked-in module list (cli/pom.xml {@code bbr.runtime.modules}) covers everything jdeps finds in
     * lib/*.jar, read as the class path bbr runs them on (without module-info.class, which makes jdeps resolve
     * okhttp as a module and fail on "requires okio"); and the runtime holds that list.
     */
    @Test
    void runtimeHoldsEveryModuleJdepsFindsInTheJars() throws Exception {
        Path sc = selfContained();
        String property = System.getProperty("bbr.runtime.modules");
        assertThat(property).as("system property bbr.runtime.modules (set by cli/pom.xml's failsafe config)").isNotBlank();
        Set<String> configured = new TreeSet<>(Arrays.asList(property.split(",")));

        Path jars = Files.createDirectories(work.resolve("jdeps-jars"));
        List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps",
                "--multi-release", "17", "-q"));
        try (Stream<Path> lib = Files.list(sc.resolve("lib"))) {
            for (Path jar : lib.sorted().toList()) {
                args.add(withoutModuleInfo(jar, jars.resolve(jar.getFileName())).toString());
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow()
                .run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        assertThat(rc).as("jdeps: %s%s", out, err).isZero();
        Set<String> needed = Arrays.stream(out.toString().strip().split(",")).map(String::strip)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(needed).as("jdeps output %s", out).contains("java.base", "jdk.unsupported");
        assertThat(configured).as("bbr.runtime.modules against jdeps").containsAll(needed);

        Result list = run(command(sc.resolve("runtime/bin/java").toString(), "--list-modules"), noJava());
        assertThat(list.exit).as(list.toString()).isZero();
        Set<String> linked = list.stdout.lines().map(l -> l.replaceFirst("@.*", "").strip())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(linked).containsAll(configured)
                .as("the run-time-only providers").contains("jdk.crypto.ec", "jdk.charsets")
                .as("nothing for development").doesNotContain("jdk.compiler", "jdk.jlink", "jdk.jdeps", "jdk.localedata");
    }

    @Test
    void selfContainedVersionRunsWithNoJavaOnPathAndNoJavaHome() throws Exception {
        Result r = run(command(selfContained().resolve("bin/bbr").toString(), "version"), noJava());
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.stdout.strip()).as(r.toString()).isEqualTo("bbr version " + VERSION);
        assertThat(r.stderr).as("no JVM noise on stderr").isEmpty();

        Result help = run(command(selfContained().resolve("bin/bbr").toString(), "deployment", "--help"), noJava());
        assertThat(help.exit).as(help.toString()).isZero();
        assertThat(help.stdout).contains("pre-backup-check", "backup-cleanup");
    }

    @Test
    void bundledRuntimeWinsOverJavaHomeAndPath() throws Exception {
        // a java that would fail loudly, as JAVA_HOME and first on PATH
        Path jdk = fakeJava("wrong-jdk", "echo 'wrong java' >&2; exit 42");
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"21.0.1\"\n");
        Map<String, String> env = noJava();
        env.put("JAVA_HOME", jdk.toString());
        env.put("PATH", jdk.resolve("bin") + ":" + env.get("PATH"));
        Result r = run(command(selfContained().resolve("bin/bbr").toString(), "version"), env);
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.stdout.strip()).isEqualTo("bbr version " + VERSION);
        assertThat(r.stderr).isEmpty();
    }

    @Test
    void aRuntimeWithoutAnExecutableJavaFailsClearly() throws Exception {
        // an install whose runtime/ lost its java (say, an unpack without modes): no fallback to another Java
        Path broken = Files.createDirectories(work.resolve("broken-install"));
        Files.createDirectories(broken.resolve("bin"));
        Files.createDirectories(broken.resolve("lib"));
        Files.createDirectories(broken.resolve("runtime/bin"));
        Files.copy(launcher, broken.resolve("bin/bbr"));
        Files.writeString(broken.resolve("runtime/bin/java"), "#!/bin/sh\nexit 0\n");   // not executable
        Result r = run(command(broken.resolve("bin/bbr").toString(), "version"), Map.of());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.stdout).isEmpty();
        assertThat(r.stderr.strip()).as(r.toString()).startsWith("bbr: ")
                .contains(broken.resolve("runtime/bin/java").toString(), "not an executable java").doesNotContain("\n");
    }

    @Test
    void selfContainedClassDataArchiveWorksOnTheBundledRuntime() throws Exception {
        Path cache = Files.createDirectories(work.resolve("sc-cds-cache"));
        Map<String, String> env = noJava();
        env.put("BBR_CDS", "on");
        env.put("XDG_CACHE_HOME", cache.toString());
        for (int i = 0; i < 2; i++) {
            Result r = run(command(selfContained().resolve("bin/bbr").toString(), "version"), env);
            assertThat(r.exit).as(r.toString()).isZero();
            assertThat(r.stdout.strip()).as(r.toString()).isEqualTo("bbr version " + VERSION);
            assertThat(r.stderr).as("run %d", i).isEmpty();
        }
        try (Stream<Path> files = Files.list(cache.resolve("bbr"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".jsa"))
                    .noneMatch(name -> name.endsWith(".failed") || name.endsWith(".tmp"));
        }
    }

    /** TLS and SSH algorithms from the JDK's own providers (see {@link RuntimeProbe}), on the bundled runtime. */
    @Test
    void bundledRuntimeServesTheCryptoTlsAndSshNeed() throws Exception {
        Path sc = selfContained();
        Path testClasses = Path.of(RuntimeProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Result r = run(command(sc.resolve("runtime/bin/java").toString(), "-cp",
                testClasses + ":" + sc.resolve("lib") + "/*", RuntimeProbe.class.getName()), noJava());
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.stdout).as(r.toString()).doesNotContain("FAILED")
                .contains("ok KeyAgreement X25519 SunEC", "ok Signature Ed25519 SunEC", "ok Signature SHA256withECDSA SunEC",
                        "ok charset windows-1255", "ok handshake TLSv1.3", "ok handshake TLSv1.2");
    }

    /**
     * Real runs of the self-contained distribution against the lab, with no Java but its own: a backup checked
     * file by file, and the Director and SSH traffic through both BOSH_ALL_PROXY forms.
     */
    @Nested
    class SelfContainedAgainstTheLab {
        @RegisterExtension
        static LabExtension lab = LabExtension.fromResource("labs/default.yml");

        private Lab l;
        private Path bbr;

        @BeforeEach
        void reset() throws Exception {
            bbr = selfContained().resolve("bin/bbr");
            l = lab.get();
            BackupE2eSupport.reset(l);
        }

        /** No java, the lab's Director and credentials, a private user.home (known_hosts for the jumpbox). */
        private Map<String, String> env(String proxy) throws Exception {
            Map<String, String> env = noJava();
            env.putAll(l.env());
            env.keySet().removeIf(k -> k.startsWith("LAB_"));
            env.put("NO_COLOR", "1");
            env.put("JAVA_OPTS", "-Duser.home=" + Files.createDirectories(work.resolve("lab-home")));
            if (proxy != null) {
                env.put("BOSH_ALL_PROXY", proxy);
            }
            return env;
        }

        @Test
        void backupWithNoJavaButTheBundledRuntime() throws Exception {
            Path artifacts = Files.createDirectories(work.resolve("artifacts-direct"));
            Result r = run(command(bbr.toString(), "deployment", "--deployment", DEP, "backup",
                    "--artifact-path", artifacts.toString()), env(null));
            assertThat(r.exit).as(r.toString()).isZero();
            assertThat(r.stderr).as(r.toString()).isEmpty();
            assertThat(r.stdout).contains("INFO - Starting backup of lab-deployment...",
                    "INFO - Backup created of lab-deployment on ");

            Path dir = verifiedBackup(artifacts);
            Map<String, Object> metadata = metadata(dir);
            @SuppressWarnings("unchecked")
            Map<String, Object> activity = (Map<String, Object>) metadata.get("backup_activity");
            assertThat((String) activity.get("finish_time")).matches("\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} \\S+");
            // the data tars hold exactly the instances' files, hashed here on the host
            for (int index = 0; index < 2; index++) {
                LabInstance vm = l.instance(DEP, "database", index);
                Map<String, String> inTar = new TreeMap<>();
                readTar(dir.resolve("database-" + index + "-data.tar")).sha256().forEach((k, v) -> {
                    if (k.startsWith("./data/")) {
                        inTar.put("./" + k.substring("./data/".length()), v);
                    }
                });
                assertThat(inTar).as("data of " + vm.name())
                        .isEqualTo(hostChecksums(vm.varVcap().resolve("store/data"), p -> true)).isNotEmpty();
            }
            assertThat(l.boshUsers()).as("temporary users left on the instances").isEmpty();
        }

        /**
         * zstd (JNI) and age (ChaCha20-Poly1305) on the bundled runtime, which may be a newer JDK than the
         * build's (cli/src/build/jlink-runtime): the backup and its verify work and the JVM says nothing on
         * stderr (Java 24+ warns about native access unless the launcher allows it).
         */
        @Test
        void compressedEncryptedBackupAndVerifyOnTheBundledRuntime() throws Exception {
            Path keys = Files.createDirectories(work.resolve("age-keys"));
            Path identity = keys.resolve("key.txt");
            boolean installed = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, "age-keygen")));
            if (!installed) {   // CI installs it (scripts/install-prerequisites); a laptop may not have it
                assertThat(System.getenv("CI")).as("age-keygen missing on CI").isNotEqualTo("true");
                Assumptions.abort("age-keygen is not installed");
            }
            Result keygen = run(command("age-keygen", "-o", identity.toString()), Map.of());
            assertThat(keygen.exit).as(keygen.toString()).isZero();
            String recipient = Files.readAllLines(identity).stream().filter(l -> l.startsWith("# public key: "))
                    .findFirst().orElseThrow().substring("# public key: ".length());
            Path artifacts = Files.createDirectories(work.resolve("artifacts-at-rest"));
            Result r = run(command(bbr.toString(), "deployment", "--deployment", DEP, "backup",
                    "--artifact-path", artifacts.toString(), "--compress", "zstd", "--encrypt-to", recipient),
                    env(null));
            assertThat(r.exit).as(r.toString()).isZero();
            assertThat(r.stderr).as(r.toString()).isEmpty();
            Path dir = onlyBackupDir(artifacts, DEP);
            assertThat(fileNames(dir)).contains("database-0-data.tar.zst.age");
            Result verify = run(command(bbr.toString(), "artifacts", "verify", dir.toString(), "--identity",
                    identity.toString()), env(null));
            assertThat(verify.exit).as(verify.toString()).isZero();
            assertThat(verify.stderr).as(verify.toString()).isEmpty();
            assertThat(verify.stdout).contains("verified");
            assertThat(l.boshUsers()).isEmpty();
        }

        @Test
        void backupThroughTheJumpboxSshSocks5Tunnel() throws Exception {
            LabInstance jumpbox = l.jumpbox();
            int before = sshdLog(jumpbox).size();
            Path artifacts = Files.createDirectories(work.resolve("artifacts-jumpbox"));
            Result r = run(command(bbr.toString(), "deployment", "--deployment", DEP, "backup",
                    "--artifact-path", artifacts.toString()), env(l.jumpboxProxyUrl()));
            assertThat(r.exit).as(r.toString()).isZero();
            assertThat(r.stdout).contains("INFO - Backup created of lab-deployment on ");
            verifiedBackup(artifacts);
            List<String> log = sshdLog(jumpbox);
            assertThat(log.subList(before, log.size())).as("bbr logged in to the jumpbox")
                    .anyMatch(line -> line.contains("Accepted publickey for lab-jumpbox"));
            assertThat(l.boshUsers()).isEmpty();
        }

        @Test
        void preBackupCheckThroughASocks5Proxy() throws Exception {
            String key = l.jumpboxProxyUrl().replaceFirst(".*[?&]private-key=", "");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path sshLog = work.resolve("ssh-D.log");
            Process tunnel = new ProcessBuilder("ssh", "-N", "-D", "127.0.0.1:" + port, "-i", key,
                    "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=/dev/null",
                    "-o", "StrictHostKeyChecking=no", "-o", "LogLevel=ERROR", "-o", "ExitOnForwardFailure=yes",
                    "lab-jumpbox@" + l.jumpbox().ip())
                    .redirectErrorStream(true).redirectOutput(sshLog.toFile()).start();
            String proxy = "socks5://127.0.0.1:" + port;
            try {
                waitForListener(port, tunnel, sshLog);
                Result r = run(command(bbr.toString(), "deployment", "--deployment", DEP, "pre-backup-check"),
                        env(proxy));
                assertThat(r.exit).as(r.toString()).isZero();
                assertThat(r.stdout).contains("Deployment '" + DEP + "' can be backed up.");
            } finally {
                tunnel.destroy();
                if (!tunnel.waitFor(5, TimeUnit.SECONDS)) {
                    tunnel.destroyForcibly();
                }
            }
            // with the proxy gone the same command fails: the proxy carried the traffic
            Result gone = run(command(bbr.toString(), "deployment", "--deployment", DEP, "pre-backup-check"),
                    env(proxy));
            assertThat(gone.exit).as(gone.toString()).isEqualTo(1);
        }

        /** The backup directory holds the expected artifacts, and the metadata's checksums are the tars'. */
        private Path verifiedBackup(Path artifacts) throws IOException {
            Path dir = onlyBackupDir(artifacts, DEP);
            String custom = "backup-one-restore-all-lab-release-backup-one-restore-all.tar";
            assertThat(fileNames(dir)).containsExactlyInAnyOrder("metadata", "bbr-sidecar.json", custom,
                    "database-0-data.tar", "database-0-lock-recorder.tar", "database-0-ordered-a.tar",
                    "database-1-data.tar", "database-1-lock-recorder.tar", "database-1-ordered-a.tar",
                    "database-1-backup-one-restore-all.tar",
                    "web-0-ordered-b.tar", "web-0-lock-recorder.tar", "web-0-failing.tar", "web-0-slow.tar");
            Map<String, Map<String, String>> recorded = metadataChecksums(metadata(dir));
            Map<String, TarContents> tars = new TreeMap<>();
            for (String f : fileNames(dir)) {
                if (f.endsWith(".tar")) {
                    tars.put(f.substring(0, f.length() - 4), readTar(dir.resolve(f)));
                }
            }
            assertThat(recorded.keySet()).isEqualTo(tars.keySet());
            tars.forEach((name, tar) -> assertThat(recorded.get(name)).as("checksums of " + name)
                    .isEqualTo(tar.sha256()).isNotEmpty());
            return dir;
        }
    }

    /**
     * The unpacked {@code bbr-<version>-<platform>.tar.gz}. Missing, it skips the test, except with CI=true where
     * it fails it: CI must never silently skip the self-contained distribution.
     */
    private static synchronized Path selfContained() throws Exception {
        if (selfContained == null) {
            Path tarball = Path.of(System.getProperty("bbr.dist.runtime.tarball",
                    "target/bbr-" + VERSION + "-linux-x64.tar.gz"));
            if (!Files.isRegularFile(tarball)) {
                String msg = "self-contained distribution " + tarball + " not built (`./mvnw package` builds it on"
                        + " linux-x64)";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    Assertions.fail(msg + " - failing because CI=true");
                }
                Assumptions.abort(msg);
            }
            Path unpacked = Files.createDirectories(work.resolve("self-contained"));
            Result tar = run(new ProcessBuilder("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C",
                    unpacked.toString()), Map.of());
            assertThat(tar.exit).as("tar -xzf: %s", tar.stderr).isZero();
            assertThat(fileNames(unpacked)).as("single top-level dir").containsExactly("bbr-" + VERSION);
            selfContained = unpacked.resolve("bbr-" + VERSION);
        }
        return selfContained;
    }

    /**
     * An environment with no JAVA_HOME and a PATH of only the few tools bin/bbr and bbr may run (one directory
     * of {@code exec} wrappers): no java anywhere on it, which is checked. The host's own PATH has one
     * (/usr/bin/java).
     */
    private static synchronized Map<String, String> noJava() throws Exception {
        Path bin = work.resolve("no-java-bin");
        if (!Files.isDirectory(bin)) {
            Files.createDirectories(bin);
            for (String tool : List.of("sh", "ls", "sed", "cksum", "find", "mkdir", "mv", "rm", "cat", "stty", "uname")) {
                for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                    Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        Path wrapper = Files.writeString(bin.resolve(tool),
                                "#!/bin/sh\nexec '" + candidate.toRealPath() + "' \"$@\"\n");
                        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
                        break;
                    }
                }
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);
        env.put("PATH", bin.toString());
        Result which = run(new ProcessBuilder("/bin/sh", "-c", "command -v java; exit 0"), env);
        assertThat(which.stdout.strip()).as("java on the clean PATH %s", bin).isEmpty();
        return env;
    }

    /** A copy of {@code jar} without module-info.class (also the versioned ones of multi-release jars). */
    private static Path withoutModuleInfo(Path jar, Path copy) throws IOException {
        try (InputStream in = Files.newInputStream(jar);
             ZipInputStream zin = new ZipInputStream(in);
             OutputStream out = Files.newOutputStream(copy);
             ZipOutputStream zout = new ZipOutputStream(out)) {
            zout.setLevel(java.util.zip.Deflater.NO_COMPRESSION);   // read once by jdeps: speed over size
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (e.getName().endsWith("module-info.class")) {
                    continue;
                }
                zout.putNextEntry(new ZipEntry(e.getName()));
                zin.transferTo(zout);
                zout.closeEntry();
            }
        }
        return copy;
    }

    private static void waitForListener(int port, Process tunnel, Path log) throws Exception {
        for (int i = 0; i < 100; i++) {
            assertThat(tunnel.isAlive()).as("ssh -D exited: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("ssh -D did not listen on " + port);
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

    /** {@code extraEnv} is added to the child's environment; a {@code null} value removes the variable. */
    private static Process start(ProcessBuilder pb, Map<String, String> extraEnv) throws IOException {
        Map<String, String> env = pb.environment();
        // the director/credentials the developer's shell may have must not leak into the child
        env.keySet().removeIf(k -> k.startsWith("BOSH_") || k.equals("CA_CERT") || k.equals("JAVA_OPTS")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS")
                || k.equals("BBR_CDS") || k.startsWith("LAB_") || k.equalsIgnoreCase("ALL_PROXY"));
        env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
        extraEnv.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
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
