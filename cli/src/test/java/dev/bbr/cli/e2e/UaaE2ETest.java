package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.DEP;
import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.onlyBackupDir;
import static dev.bbr.cli.e2e.RestoreE2eSupport.sha256Tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.LabRequest;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4's CLI check in UAA mode (labs/uaa.yml), including a token that expires mid-run. */
class UaaE2ETest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/uaa.yml");

    @TempDir
    Path tmp;

    private Lab l;
    private LabInstance db0;

    @BeforeEach
    void reset() {
        l = lab.get();
        db0 = l.instance(DEP, "database", 0);
        l.faults().clear();
        exec(db0, "rm -rf /var/vcap/store/lab-params /var/vcap/store/bbr-backup; mkdir -p /var/vcap/sys/log/lab && "
                + ": > /var/vcap/sys/log/lab/calls.log");
        l.clearRequests();
    }

    @AfterEach
    void clearFaults() {
        l.faults().clear();
        exec(db0, "rm -rf /var/vcap/store/lab-params");
    }

    private List<LabRequest> tokenRequests() {
        return l.requests().stream().filter(r -> r.path().equals("/oauth/token")).toList();
    }

    private List<LabRequest> directorRequests() {
        return l.requests().stream().filter(r -> !r.path().equals("/oauth/token") && !r.path().equals("/info"))
                .toList();
    }

    private static long epochNanos(LabRequest r) {
        return r.at().getEpochSecond() * 1_000_000_000L + r.at().getNano();
    }

    @Test
    void preBackupCheckInUaaMode() {
        CliRun r = bbr(l.env(), "deployment", "pre-backup-check");
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(r.out()).containsPattern("\\[\\d{2}:\\d{2}:\\d{2}\\] Deployment '" + DEP + "' can be backed up\\.");
        assertThat(tokenRequests()).isNotEmpty().allMatch(t -> t.status() == 200);
        assertThat(directorRequests()).isNotEmpty().allMatch(q -> q.authKind().equals("bearer"), "bearer auth");
        assertThat(directorRequests()).anyMatch(q -> q.method().equals("POST") && q.path().endsWith("/ssh"));
        assertThat(r.out() + r.err()).doesNotContain(l.clientSecret());
        assertThat(l.boshUsers()).isEmpty();
    }

    @Test
    void tokenExpiringMidRunIsRefreshedAndTheRoundTripSucceeds() throws Exception {
        l.faults().tokenTtl(Duration.ofSeconds(1));
        // the backup script takes 2.5 s, so every token issued before it has expired afterwards
        exec(db0, "mkdir -p /var/vcap/store/lab-params && echo '[ \"$LAB_SCRIPT_NAME\" != backup ] || sleep 2.5'"
                + " > /var/vcap/store/lab-params/data.env");
        Map<String, String> before = sha256Tree(db0, "/var/vcap/store/data");

        CliRun b = bbr(l.env(), "deployment", "backup", "--artifact-path", tmp.toString());
        assertThat(b.exitCode()).as(describe(b)).isZero();
        // a token was fetched after the slow backup script, when every earlier one had expired
        // (lab-lib.sh sources lab-params, i.e. sleeps, before it writes the calls.log line)
        long slowStepEnd = RestoreE2eSupport.ns(RestoreE2eSupport.callsOf(l.scriptCalls(DEP), "backup").get(0));
        long backupStart = slowStepEnd - 2_500_000_000L;
        assertThat(tokenRequests()).as("token requests: %s", l.requests())
                .anyMatch(t -> t.status() == 200 && epochNanos(t) > slowStepEnd)
                .anyMatch(t -> t.status() == 200 && epochNanos(t) < backupStart);
        // and the Director accepted what came after it
        assertThat(directorRequests()).filteredOn(q -> epochNanos(q) > slowStepEnd).isNotEmpty()
                .anyMatch(q -> q.status() >= 200 && q.status() < 400);
        assertThat(directorRequests()).allMatch(q -> q.authKind().equals("bearer"), "bearer auth");
        // the ssh cleanup after the slow backup was accepted (with a refreshed token)
        List<LabRequest> posts = directorRequests().stream().filter(q -> q.method().equals("POST")).toList();
        assertThat(posts).isNotEmpty();
        assertThat(posts.get(posts.size() - 1).status()).as("%s", posts).isBetween(200, 399);
        assertThat(l.boshUsers()).isEmpty();

        exec(db0, "rm -rf /var/vcap/store/data");
        CliRun r = bbr(l.env(), "deployment", "restore", "--artifact-path", onlyBackupDir(tmp).toString());
        assertThat(r.exitCode()).as(describe(r)).isZero();
        assertThat(sha256Tree(db0, "/var/vcap/store/data")).isEqualTo(before);
    }
}
