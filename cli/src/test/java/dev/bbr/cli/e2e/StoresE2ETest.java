package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.DEP;
import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.sha256Tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import dev.bbr.store.azure.AzureOptions;
import dev.bbr.store.azure.AzureStores;
import dev.bbr.store.s3.S3Options;
import dev.bbr.store.s3.S3Stores;
import dev.bbr.store.testkit.TestServer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backups off the jumpbox (issue 14): the lab's deployment backed up straight to S3Proxy, Azurite and
 * the lab jumpbox's SFTP, listed, verified, copied between stores and restored from them byte for
 * byte, with nothing staged on the local disk. The servers are the project's own (scripts/test-servers,
 * or started by the test kit); the SFTP server is the jumpbox's OpenSSH.
 */
class StoresE2ETest {
    private static final TestServer S3PROXY = TestServer.s3proxy();
    private static final TestServer AZURITE = TestServer.azurite();

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/default.yml");

    @TempDir
    static Path keys;

    private static final Map<String, String> STORE_ENV = new HashMap<>();
    private static String recipient;

    private Lab l;

    @BeforeAll
    static void servers() throws Exception {
        TestServer.Instance s3 = S3PROXY.instance();
        TestServer.Instance azurite = AZURITE.instance();
        STORE_ENV.put("AWS_ACCESS_KEY_ID", TestServer.S3PROXY_IDENTITY);
        STORE_ENV.put("AWS_SECRET_ACCESS_KEY", TestServer.S3PROXY_CREDENTIAL);
        STORE_ENV.put("AWS_ENDPOINT_URL", s3.endpoint());
        STORE_ENV.put("AWS_REGION", "us-east-1");
        STORE_ENV.put("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());
        STORE_ENV.put("BBR_STORE_PART_SIZE", "5MiB");
        try (S3Stores.Connection c = S3Stores.connect(STORE_ENV, S3Options.defaults())) {
            S3Client client = c.client();
            try {
                client.headBucket(b -> b.bucket("e2e"));
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                client.createBucket(b -> b.bucket("e2e"));
            }
        }
        AzureStores.connect(STORE_ENV, AzureOptions.defaults()).client().getBlobContainerClient("e2e")
                .createIfNotExists();
        recipient = RestoreE2eSupport.run(null, "bash", "-c", "age-keygen -o " + keys.resolve("key.txt")
                + " 2>&1 | grep -o 'age1[0-9a-z]*'").strip();
    }

    @BeforeEach
    void reset() {
        l = lab.get();
        RestoreE2eSupport.resetInstances(l, DEP);
    }

    @Test
    void s3DatedEncryptedBackupRestoresByteForByte() throws Exception {
        String root = "s3://e2e/dated-" + System.nanoTime();
        String backup = backUp(root, "--layout", "dated", "--compress", "zstd", "--encrypt-to", recipient);
        assertThat(backup).matches(root.replace(".", "\\.") + "/" + DEP + "/\\d{4}/\\d{2}/\\d{2}/" + DEP
                + "_\\d{8}T\\d{6}Z");
        verifies(root, "--identity", keys.resolve("key.txt").toString());
        restoresByteForByte(backup, "--identity", keys.resolve("key.txt").toString());
    }

    @Test
    void azureBackupRestoresAndCopiesToS3() throws Exception {
        String root = "azure://e2e/flat-" + System.nanoTime();
        String backup = backUp(root);
        verifies(root);
        String copyRoot = "s3://e2e/copies-" + System.nanoTime();
        CliRun copy = run("artifacts", "copy", backup, copyRoot);
        assertThat(copy.exitCode()).as(describe(copy)).isZero();
        String name = backup.substring(backup.lastIndexOf('/') + 1);
        assertThat(copy.out()).startsWith("Copied " + name);
        restoresByteForByte(copyRoot + "/" + name);
    }

    @Test
    void sftpToTheJumpboxBackupRestores() throws Exception {
        LabInstance jumpbox = l.jumpbox();
        exec(jumpbox, "mkdir -p /var/vcap/bosh_ssh/lab-jumpbox/backups && chown lab-jumpbox "
                + "/var/vcap/bosh_ssh/lab-jumpbox/backups");
        String key = l.jumpboxProxyUrl().replaceFirst(".*private-key=", "");
        String root = "sftp://lab-jumpbox@" + jumpbox.ip() + "/~/backups?fingerprint=" + fingerprint(jumpbox)
                + "&key=" + key;
        String backup = backUp(root);
        verifies(root);
        restoresByteForByte(backup);
        assertThat(exec(jumpbox, "ls /var/vcap/bosh_ssh/lab-jumpbox/backups")).contains(DEP + "_");
    }

    @Test
    void aWrongHostKeyOrAMissingBucketIsOneLineAndNothingRuns() {
        CliRun bucket = run("deployment", "backup", "--artifact-path", "s3://no-such-bucket/x");
        assertThat(bucket.exitCode()).as(describe(bucket)).isEqualTo(1);
        assertThat(bucket.err()).contains("the bucket no-such-bucket does not exist");
        assertThat(bucket.err()).doesNotContain(TestServer.S3PROXY_CREDENTIAL);
        LabInstance jumpbox = l.jumpbox();
        String key = l.jumpboxProxyUrl().replaceFirst(".*private-key=", "");
        CliRun hostKey = run("deployment", "backup", "--artifact-path", "sftp://lab-jumpbox@" + jumpbox.ip()
                + "/~/backups?fingerprint=SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&key=" + key);
        assertThat(hostKey.exitCode()).as(describe(hostKey)).isEqualTo(1);
        assertThat(hostKey.err()).containsIgnoringCase("host key").doesNotContain("\tat ");
        assertThat(RestoreE2eSupport.callsOf(l.scriptCalls(DEP), "backup")).as("no backup script ran").isEmpty();
        assertThat(l.boshUsers()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** Backs up the lab deployment to {@code root}; returns the backup's own location. */
    private String backUp(String root, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("deployment", "backup", "--artifact-path", root));
        args.addAll(List.of(extra));
        CliRun b = run(args.toArray(String[]::new));
        assertThat(b.exitCode()).as(describe(b)).isZero();
        assertThat(b.err()).isEmpty();
        CliRun list = run("artifacts", "list", root, "--json");
        assertThat(list.exitCode()).as(describe(list)).isZero();
        JsonNode backups = new ObjectMapper().readTree(list.out()).path("backups");
        assertThat(backups).hasSize(1);
        assertThat(backups.get(0).path("state").asText()).isEqualTo("complete");
        String name = backups.get(0).path("backup").asText();
        String base = root.contains("?") ? root.substring(0, root.indexOf('?')) : root;
        String query = root.contains("?") ? root.substring(root.indexOf('?')) : "";
        String dated = List.of(extra).contains("dated") ? "/" + DEP + "/" + name.substring(DEP.length() + 1,
                DEP.length() + 5) + "/" + name.substring(DEP.length() + 5, DEP.length() + 7) + "/"
                + name.substring(DEP.length() + 7, DEP.length() + 9) : "";
        return base + dated + "/" + name + query;
    }

    private void verifies(String root, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("artifacts", "verify", root));
        args.addAll(List.of(extra));
        CliRun v = run(args.toArray(String[]::new));
        assertThat(v.exitCode()).as(describe(v)).isZero();
        assertThat(v.out()).contains(": verified: ");
    }

    private void restoresByteForByte(String backup, String... extra) {
        LabInstance db0 = l.instance(DEP, "database", 0);
        LabInstance db1 = l.instance(DEP, "database", 1);
        Map<String, String> before0 = sha256Tree(db0, "/var/vcap/store/data");
        Map<String, String> before1 = sha256Tree(db1, "/var/vcap/store/data");
        exec(db0, "rm -rf /var/vcap/store/data");
        exec(db1, "rm -rf /var/vcap/store/data");
        List<String> args = new java.util.ArrayList<>(List.of("deployment", "restore", "--artifact-path", backup));
        args.addAll(List.of(extra));
        CliRun r = run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(sha256Tree(db0, "/var/vcap/store/data")).isEqualTo(before0).isNotEmpty();
        assertThat(sha256Tree(db1, "/var/vcap/store/data")).isEqualTo(before1);
        assertThat(l.boshUsers()).isEmpty();
    }

    private CliRun run(String... args) {
        Map<String, String> env = new HashMap<>(l.env());
        env.putAll(STORE_ENV);
        env.put("HOME", keys.toString());
        return bbr(env, args);
    }

    /** OpenSSH's {@code SHA256:…} fingerprint of the VM's host key, as `ssh-keygen -l` prints it. */
    private static String fingerprint(LabInstance vm) throws Exception {
        String blob = vm.hostPublicKey().trim().split("\\s+")[1];
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(blob));
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    }
}
