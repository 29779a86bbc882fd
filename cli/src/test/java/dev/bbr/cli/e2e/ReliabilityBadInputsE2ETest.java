package dev.bbr.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.e2e.FaultCheck.Outcome;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input catalogue (docs/reliability.md): flags, environment, CA certificates, private keys,
 * BOSH_ALL_PROXY and job metadata that bbr must refuse in one clear line, with a non-zero exit, no
 * stack trace and nothing touched on any VM ({@link BadInputCheck}). Damaged restore artifacts are in
 * {@link ReliabilityBadArtifactsE2ETest}. Every case runs bbr in-process against the lab, so a
 * refusal that came too late (after a lock, a user or a directory on a VM) is caught.
 */
@Tag("reliability")
class ReliabilityBadInputsE2ETest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource(ReliabilityLab.LAB_FILE);

    @TempDir
    static Path files;

    @TempDir
    Path tmp;

    private ReliabilityLab rl;

    @BeforeAll
    static void newTable() {
        ReliabilityMatrix.start("bad-inputs");
    }

    @BeforeEach
    void reset() {
        rl = new ReliabilityLab(lab.get());
        rl.reset();
    }

    // ------------------------------------------------------------------ running a case

    private Outcome run(Map<String, String> env, String... args) {
        return Outcome.of(dev.bbr.cli.CliRun.run(null, env, args));
    }

    private Map<String, String> env() {
        return new HashMap<>(rl.env());
    }

    private Map<String, String> envWithout(String key) {
        Map<String, String> env = env();
        env.remove(key);
        return env;
    }

    private Map<String, String> envWith(String key, String value) {
        Map<String, String> env = env();
        env.put(key, value);
        return env;
    }

    private String[] backup(String... flags) {
        List<String> args = new ArrayList<>(List.of("deployment"));
        args.addAll(List.of(flags));
        args.addAll(List.of("backup", "--artifact-path", tmp.toString()));
        return args.toArray(String[]::new);
    }

    private void check(BadInputCheck check, Outcome outcome) {
        check.verify(outcome, rl);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(files.resolve(name), content);
    }

    private String directorUrl() {
        return rl.lab.env().get("BOSH_ENVIRONMENT");
    }

    // ------------------------------------------------------------------ flags and environment

    @Test
    void b01NoTarget() {
        check(BadInputCheck.input("B01", "BOSH_ENVIRONMENT unset, no --target").command("backup")
                .says("--target flag is required."), run(envWithout("BOSH_ENVIRONMENT"), backup("-d", "rel")));
    }

    @Test
    void b02EmptyTarget() {
        check(BadInputCheck.input("B02", "BOSH_ENVIRONMENT empty").command("backup").says("--target flag is required."),
                run(envWith("BOSH_ENVIRONMENT", ""), backup("-d", "rel")));
    }

    @Test
    void b03NoUsername() {
        check(BadInputCheck.input("B03", "BOSH_CLIENT unset").command("backup").says("--username flag is required."),
                run(envWithout("BOSH_CLIENT"), backup("-d", "rel")));
    }

    @Test
    void b04NoPassword() {
        check(BadInputCheck.input("B04", "BOSH_CLIENT_SECRET unset").command("backup")
                .says("--password flag is required."), run(envWithout("BOSH_CLIENT_SECRET"), backup("-d", "rel")));
    }

    @Test
    void b05NeitherDeploymentNorAll() {
        check(BadInputCheck.input("B05", "neither --deployment nor --all-deployments").command("backup")
                .says("provide one of '--deployment' or '--all-deployments' flags."),
                run(envWithout("BOSH_DEPLOYMENT"), backup()));
    }

    @Test
    void b06BothDeploymentAndAll() {
        check(BadInputCheck.input("B06", "both --deployment and --all-deployments").command("backup")
                .says("provide one of '--deployment' or '--all-deployments' flags."),
                run(env(), backup("-d", "rel", "--all-deployments")));
    }

    @Test
    void b07PortOutOfRange() {
        String url = directorUrl().replaceFirst(":\\d+$", ":99999");
        check(BadInputCheck.input("B07", "--target port 99999").command("backup").says("port 99999 out of range"),
                run(envWith("BOSH_ENVIRONMENT", url), backup("-d", "rel")));
    }

    @Test
    void b08PortNotANumber() {
        String url = directorUrl().replaceFirst(":\\d+$", ":abc");
        check(BadInputCheck.input("B08", "--target port not a number").command("backup").says("invalid port \"abc\""),
                run(envWith("BOSH_ENVIRONMENT", url), backup("-d", "rel")));
    }

    @Test
    void b09TargetWithSpaces() {
        check(BadInputCheck.input("B09", "--target 'ht tp://x' (not a URL)").command("backup").says("invalid bosh URL"),
                run(envWith("BOSH_ENVIRONMENT", "ht tp://x"), backup("-d", "rel")));
    }

    @Test
    void b10DirectorNotListening() {
        String url = directorUrl().replaceFirst(":\\d+$", ":1");
        check(BadInputCheck.input("B10", "--target where nothing listens").command("backup")
                .says("bosh director unreachable or unhealthy"), run(envWith("BOSH_ENVIRONMENT", url), backup("-d", "rel")));
    }

    @Test
    void b11WrongSecret() {
        check(BadInputCheck.input("B11", "wrong BOSH_CLIENT_SECRET").command("backup").says("401"),
                run(envWith("BOSH_CLIENT_SECRET", "not-the-secret"), backup("-d", "rel")));
    }

    @Test
    void b12UnknownDeployment() {
        check(BadInputCheck.input("B12", "--deployment that does not exist").command("backup").says("nope"),
                run(env(), backup("-d", "nope")));
    }

    @Test
    void b13UnknownFlag() {
        check(BadInputCheck.input("B13", "an unknown flag").command("backup")
                .says("flag provided but not defined: -colour"), run(env(), backup("-d", "rel", "--colour")));
    }

    @Test
    void b14MaxInFlightZero() {
        check(BadInputCheck.input("B14", "--max-in-flight 0").command("backup")
                .says("invalid value \"0\" for flag -max-in-flight: expected a whole number of 1 or more"),
                run(env(), "deployment", "-d", "rel", "backup", "--max-in-flight", "0", "--artifact-path",
                        tmp.toString()));
    }

    @Test
    void b15MinFreeSpaceNotASize() {
        check(BadInputCheck.input("B15", "--min-free-space lots").command("backup")
                .says("invalid value \"lots\" for flag -min-free-space"),
                run(env(), "deployment", "-d", "rel", "backup", "--min-free-space", "lots", "--artifact-path",
                        tmp.toString()));
    }

    @Test
    void b16RestoreWithoutArtifactPath() {
        check(BadInputCheck.input("B16", "restore without --artifact-path").command("restore")
                .says("--artifact-path flag is required."), run(env(), "deployment", "-d", "rel", "restore"));
    }

    @Test
    void b17RestoreFromNowhere() {
        check(BadInputCheck.input("B17", "restore --artifact-path that does not exist").command("restore")
                .says("no such file or directory"),
                run(env(), "deployment", "-d", "rel", "restore", "--artifact-path", tmp.resolve("absent").toString()));
    }

    @Test
    void b18UnsafeLockFreeWithAllDeployments() {
        check(BadInputCheck.input("B18", "--unsafe-lock-free with --all-deployments").command("backup")
                .says("--unsafe-lock-free"), run(envWithout("BOSH_DEPLOYMENT"), "deployment", "--all-deployments",
                        "backup", "--unsafe-lock-free", "--artifact-path", tmp.toString()));
    }

    @Test
    void b19ArtifactPathIsAFile() throws IOException {
        Path notADir = file("not-a-dir", "x");
        check(BadInputCheck.input("B19", "backup --artifact-path is a regular file").command("backup")
                .says(notADir.toString()), run(env(), "deployment", "-d", "rel", "backup", "--artifact-path",
                        notADir.toString()));
    }

    // ------------------------------------------------------------------ CA certificates

    @Test
    void c01CaCertMissing() {
        check(BadInputCheck.input("C01", "--ca-cert file missing").command("backup")
                .says("open " + files.resolve("absent.pem") + ": no such file or directory"),
                run(envWith("BOSH_CA_CERT", files.resolve("absent.pem").toString()), backup("-d", "rel")));
    }

    @Test
    void c02CaCertNotPem() throws IOException {
        Path notPem = file("not.pem", "this is not a certificate\n");
        check(BadInputCheck.input("C02", "--ca-cert not PEM").command("backup").says("Missing PEM block"),
                run(envWith("BOSH_CA_CERT", notPem.toString()), backup("-d", "rel")));
    }

    @Test
    void c03WrongCa() throws IOException {
        Path other = Path.of("src/test/resources/reliability/other-ca.pem");
        check(BadInputCheck.input("C03", "--ca-cert of another CA").command("backup").says("certificate"),
                run(envWith("BOSH_CA_CERT", other.toAbsolutePath().toString()), backup("-d", "rel")));
    }

    @Test
    void c05NoCaForHttps() {
        Map<String, String> env = envWithout("BOSH_CA_CERT");
        env.remove("CA_CERT");
        check(BadInputCheck.input("C05", "no CA certificate at all").command("backup")
                .says("Expected CA cert to be non-empty"), run(env, backup("-d", "rel")));
    }

    // ------------------------------------------------------------------ private keys (director mode)

    private String[] director(Path key, String host) {
        return new String[] {"director", "--host", host, "-u", rl.lab.env().get("LAB_DIRECTOR_VM_USER"),
            "--key", key.toString(), "pre-backup-check"};
    }

    private String directorHost() {
        return rl.lab.env().get("LAB_DIRECTOR_VM_HOST");
    }

    private Outcome directorRun(Path key, String host) {
        String saved = System.getProperty("user.home");
        try {
            System.setProperty("user.home", Files.createDirectories(tmp.resolve("home")).toString());
            return run(Map.of(), director(key, host));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    @Test
    void k01KeyMissing() {
        Path absent = files.resolve("absent.key");
        check(BadInputCheck.input("PK01", "--key file missing").command("director pre-backup-check")
                .says("failed reading private key: " + absent), directorRun(absent, directorHost()));
    }

    @Test
    void k02NotAKey() throws IOException {
        check(BadInputCheck.input("PK02", "--key is not a key").command("director pre-backup-check")
                .says("unsupported private key format"), directorRun(file("not.key", "hello\n"), directorHost()));
    }

    @Test
    void k03EncryptedKey() throws Exception {
        Path key = files.resolve("encrypted.key");
        RestoreE2eSupport.run(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", key.toString());
        check(BadInputCheck.input("PK03", "--key encrypted, no passphrase").command("director pre-backup-check")
                .says("Decryption of the key failed"), directorRun(key, directorHost()));
    }

    @Test
    void k04KeyNotAuthorized() throws Exception {
        Path key = files.resolve("stranger.key");
        RestoreE2eSupport.run(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        check(BadInputCheck.input("PK04", "--key the director VM does not authorize").command("director pre-backup-check")
                .says("ssh.Dial failed"), directorRun(key, directorHost()));
    }

    @Test
    void k05KeyIsADirectory() {
        check(BadInputCheck.input("PK05", "--key is a directory").command("director pre-backup-check")
                .says("failed reading private key: read " + files + ": Is a directory"),
                directorRun(files, directorHost()));
    }

    @Test
    void k06KeyReadableByAll() throws IOException {
        // OpenSSH refuses such a key; the Go bbr does not, and neither do we (a drop-in must not break
        // pipelines that work): the case proves the key still works and nothing is left behind.
        Path key = files.resolve("open.key");
        Files.copy(Path.of(rl.lab.env().get("LAB_DIRECTOR_VM_KEY")), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        check(BadInputCheck.input("PK06", "--key mode 0644 (accepted, as by the Go bbr)").command("director pre-backup-check")
                .says("Director can be backed up.").accepted(), directorRun(key, directorHost()));
    }

    @Test
    void k07HostPortOutOfRange() {
        check(BadInputCheck.input("PK07", "--host with port 99999").command("director pre-backup-check")
                .says("invalid port 99999"),
                directorRun(Path.of(rl.lab.env().get("LAB_DIRECTOR_VM_KEY")), directorHost() + ":99999"));
    }

    @Test
    void k08HostUnclosedBracket() {
        check(BadInputCheck.input("PK08", "--host '[::1' (unclosed IPv6 bracket)").command("director pre-backup-check")
                .says("missing ']'"), directorRun(Path.of(rl.lab.env().get("LAB_DIRECTOR_VM_KEY")), "[::1"));
    }

    // ------------------------------------------------------------------ BOSH_ALL_PROXY

    @Test
    void p01ProxyBadScheme() {
        check(BadInputCheck.input("P01", "BOSH_ALL_PROXY=http://… (unsupported scheme)").command("backup")
                .says("proxy: unknown scheme: http"),
                run(envWith("BOSH_ALL_PROXY", "http://127.0.0.1:3128"), backup("-d", "rel")));
    }

    @Test
    void p02ProxyWithoutKey() {
        check(BadInputCheck.input("P02", "BOSH_ALL_PROXY without private-key").command("backup")
                .says("Required query param 'private-key' not found"),
                run(envWith("BOSH_ALL_PROXY", "ssh+socks5://jumpbox@127.0.0.1:2"), backup("-d", "rel")));
    }

    @Test
    void p03ProxyKeyMissing() {
        check(BadInputCheck.input("P03", "BOSH_ALL_PROXY private-key file missing").command("backup")
                .says("Reading private key file for SOCKS5 Proxy: open /nonexistent/key"),
                run(envWith("BOSH_ALL_PROXY", "ssh+socks5://jumpbox@127.0.0.1:2?private-key=/nonexistent/key"),
                        backup("-d", "rel")));
    }

    @Test
    void p04ProxyKeyNotAKey() throws IOException {
        Path notKey = file("proxy-not.key", "hello\n");
        check(BadInputCheck.input("P04", "BOSH_ALL_PROXY private-key is not a key").command("backup")
                .says("Reading private key file for SOCKS5 Proxy"),
                run(envWith("BOSH_ALL_PROXY", "ssh+socks5://jumpbox@127.0.0.1:2?private-key=" + notKey),
                        backup("-d", "rel")));
    }

    @Test
    void p05ProxyUnreachable() throws Exception {
        Path key = files.resolve("proxy.key");
        if (!Files.exists(key)) {
            RestoreE2eSupport.run(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        }
        check(BadInputCheck.input("P05", "BOSH_ALL_PROXY jumpbox unreachable").command("backup")
                .says("bosh director unreachable or unhealthy"),
                run(envWith("BOSH_ALL_PROXY", "ssh+socks5://jumpbox@127.0.0.1:2?private-key=" + key),
                        backup("-d", "rel")));
    }

    // ------------------------------------------------------------------ job metadata

    /** ordered-b's metadata script on app/0 prints {@code yaml} instead of its own output. */
    private void metadataPrints(String printf) {
        BackupE2eSupport.jobParams(rl.app0(), "ordered-b",
                "if [ \"$(basename \"$0\")\" = metadata ]; then " + printf + "; exit 0; fi");
    }

    @Test
    void m01MetadataNotYaml() {
        metadataPrints("printf 'backup_should_be_locked_before: [oops\\n'");
        check(BadInputCheck.input("M01", "metadata output is not YAML").command("backup").says("ordered-b"),
                run(env(), backup("-d", "rel")));
    }

    @Test
    void m02MetadataWrongTypes() {
        metadataPrints("printf 'backup_should_be_locked_before: 5\\n'");
        check(BadInputCheck.input("M02", "metadata with a number where a list belongs").command("backup")
                .says("backup_should_be_locked_before must be a list of {job_name, release}, got number 5"),
                run(env(), backup("-d", "rel")));
    }

    @Test
    void m03MetadataUnknownKeys() {
        metadataPrints("printf 'backup_should_be_unlocked_after_lunch: true\\nflavour: mint\\n'");
        Outcome run = run(env(), "deployment", "-d", "rel", "pre-backup-check");
        check(BadInputCheck.input("M03", "metadata with unknown keys (ignored, as by the Go bbr)")
                .command("pre-backup-check").says("can be backed up.").accepted(), run);
    }

    @Test
    void m04MetadataHuge() {
        // 64 MiB of YAML comments: bbr must neither hang nor run out of memory reading it
        metadataPrints("head -c 67108864 /dev/zero | tr '\\0' '#'; echo");
        check(BadInputCheck.input("M04", "metadata output of 64 MiB").command("backup").says("metadata"),
                run(env(), backup("-d", "rel")));
    }

    @Test
    void m05MetadataLockOnUnknownJob() {
        metadataPrints("printf 'backup_should_be_locked_before:\\n- job_name: ordered-b\\n  release: lab-release\\n'");
        // a job locked before itself: the lock order is cyclic
        check(BadInputCheck.input("M05", "metadata: a job locked before itself (cycle)").command("backup")
                .says("job locking dependency graph is cyclic"), run(env(), backup("-d", "rel")));
    }

    // ------------------------------------------------------------------ script output

    @Test
    void s01HugeScriptOutputInBoundedMemory() throws Exception {
        // 256 MiB on stdout and stderr from the backup script, then a failure; bbr in its own JVM with a
        // 96 MiB heap: unbounded buffering would end in OutOfMemoryError
        BackupE2eSupport.jobParams(rl.app0(), "slow", "if [ \"$(basename \"$0\")\" = backup ]; then"
                + " head -c 134217728 /dev/zero | tr '\\0' 'o'; head -c 134217728 /dev/zero | tr '\\0' 'e' >&2;"
                + " echo 'backup failed after much talk' >&2; exit 1; fi");
        ProcessBuilder pb = BackupE2eSupport.subprocess(rl.lab, List.of("-Xmx96m"), backup("-d", "rel"));
        pb.directory(tmp.toFile());
        Outcome outcome;
        try (BackupE2eSupport.Bbr bbr = new BackupE2eSupport.Bbr(pb)) {
            outcome = new Outcome(bbr.await(300), bbr.out(), bbr.err());
        }
        String all = outcome.out() + outcome.err();
        check(BadInputCheck.input("S01", "backup script writes 256 MiB to stdout+stderr, then fails (bbr -Xmx96m)")
                .command("backup").says("backup failed after much talk")
                .problemIf(all.contains("in-memory limit"), "bbr failed the job over the size of its output")
                .problemIf(all.contains("OutOfMemoryError"), "bbr ran out of memory")
                .problemIf(all.length() > 16 * 1024 * 1024, "bbr echoed " + all.length() + " characters")
                .scriptsMayRun(), outcome);
    }

    // ------------------------------------------------------------------ hostile or odd restore artifacts

    private static Path goodBackup;

    private Path goodBackup() throws IOException {
        if (goodBackup == null) {
            goodBackup = rl.goodBackup(files.resolve("good"));
        }
        return goodBackup;
    }

    /** A crafted artifact whose checksums all match: refused before any upload, lock or restore script. */
    private void refusedArtifact(String id, String input, String says, CraftedArtifact.Extra... extras)
            throws IOException {
        Path crafted = CraftedArtifact.craft(goodBackup(), tmp, CraftedArtifact.list(extras));
        Outcome run = run(env(), "deployment", "-d", "rel", "restore", "--artifact-path", crafted.toString());
        check(BadInputCheck.input(id, input).command("restore").says(says)
                .problemIf(rl.db0().exec("test -e /etc/cron.d/bbr-reliability || test -e /tmp/bbr-reliability").ok(),
                        "the hostile entry was written on db/0"), run);
    }

    @Test
    void a01DotDotInATar() throws IOException {
        refusedArtifact("A01", "restore: tar entry ./../../../../tmp/bbr-reliability", "'..' path segment",
                CraftedArtifact.Extra.file("./../../../../tmp/bbr-reliability", "escaped\n"));
    }

    @Test
    void a02AbsolutePathInATar() throws IOException {
        refusedArtifact("A02", "restore: tar entry /etc/cron.d/bbr-reliability", "absolute path",
                CraftedArtifact.Extra.file("/etc/cron.d/bbr-reliability", "* * * * * root true\n"));
    }

    @Test
    void a03PathThroughASymlinkInATar() throws IOException {
        refusedArtifact("A03", "restore: symlink ./evil -> /etc, then ./evil/cron.d/bbr-reliability",
                "path through the symlink evil", CraftedArtifact.Extra.symlink("./evil", "/etc"),
                CraftedArtifact.Extra.file("./evil/cron.d/bbr-reliability", "* * * * * root true\n"));
    }

    @Test
    void a04DeviceFileInATar() throws IOException {
        refusedArtifact("A04", "restore: character device ./data/null in a tar", "./data/null",
                CraftedArtifact.Extra.device("./data/null"));
    }

    @Test
    void a05OddFileNamesRoundTrip() throws Exception {
        // names with a newline, quotes and a byte that is not UTF-8: legitimate, so they must survive a
        // backup and a restore byte for byte
        LabInstance db0 = rl.db0();
        Files.writeString(db0.varVcap().resolve("store/lab-odd-names.sh"), "set -e; cd /var/vcap/store/data\n"
                + "printf newline > \"$(printf 'line\\nbreak')\"\n"
                + "printf quotes > \"it's \\\"quoted\\\"\"\n"
                + "printf latin1 > \"$(printf 'caf\\351')\"\n");
        db0.exec("bash /var/vcap/store/lab-odd-names.sh").orThrow("odd names");
        try {
            Path into = Files.createDirectories(tmp.resolve("odd"));
            Outcome made = run(env(), "deployment", "-d", "rel", "backup", "--artifact-path", into.toString());
            assertThat(made.exit()).as(made.describe()).isZero();
            Map<String, String> before = RestoreE2eSupport.sha256Tree(db0, "/var/vcap/store/data");
            db0.exec("rm -rf /var/vcap/store/data/*").orThrow("wipe");
            rl.reset();
            Outcome restored = run(env(), "deployment", "-d", "rel", "restore", "--artifact-path",
                    Invariants.backups(into).get(0).toString());
            Map<String, String> after = RestoreE2eSupport.sha256Tree(db0, "/var/vcap/store/data");
            check(BadInputCheck.input("A05", "file names with a newline, quotes and a non-UTF-8 byte (backup, restore)")
                    .command("backup, restore").accepted()
                    .problemIf(before.size() < 3, "the odd files were not created: " + before.keySet())
                    .problemIf(!after.equals(before), "restored tree differs: " + after.keySet()), restored);
        } finally {
            db0.exec("cd /var/vcap/store/data && rm -f line*break it* caf* /var/vcap/store/lab-odd-names.sh");
        }
    }
}
