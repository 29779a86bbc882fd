package dev.bbr.cli.e2e;

import static dev.bbr.cli.e2e.RestoreE2eSupport.bbr;
import static dev.bbr.cli.e2e.RestoreE2eSupport.describe;
import static dev.bbr.cli.e2e.RestoreE2eSupport.exec;
import static dev.bbr.cli.e2e.RestoreE2eSupport.fileNames;
import static dev.bbr.cli.e2e.RestoreE2eSupport.onlyBackupDir;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import dev.bbr.lab.Lab;
import dev.bbr.lab.LabInstance;
import dev.bbr.lab.junit.LabExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Round trip of a real redis-server job (labs/redis.yml): keys come back after FLUSHALL + restore. */
class RestoreRedisE2ETest {
    private static final String DEP = "redis";

    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/redis.yml");

    @TempDir
    Path tmp;

    private static String redis(LabInstance vm, String command) {
        return exec(vm, "redis-cli -h " + vm.ip() + " " + command).strip();
    }

    @Test
    void keysComeBackAfterFlushallAndRestore() throws Exception {
        Lab l = lab.get();
        Map<String, String> env = new HashMap<>(l.env());
        env.put("BOSH_DEPLOYMENT", DEP);
        LabInstance r0 = l.instance(DEP, "redis", 0);
        LabInstance r1 = l.instance(DEP, "redis", 1);
        for (LabInstance vm : new LabInstance[] {r0, r1}) {
            for (int i = 0; i < 50; i++) {
                redis(vm, "SET key:" + i + " value-" + i + "-on-" + vm.index());
            }
            assertThat(redis(vm, "DBSIZE")).isEqualTo("50");
        }

        CliRun b = bbr(env, "deployment", "backup", "--artifact-path", tmp.toString());
        assertThat(b.exitCode()).as(describe(b)).isZero();
        Path backup = onlyBackupDir(tmp);
        assertThat(fileNames(backup)).contains("redis-0-redis.tar", "redis-1-redis.tar");

        for (LabInstance vm : new LabInstance[] {r0, r1}) {
            redis(vm, "FLUSHALL");
            redis(vm, "SET written-after-backup yes");
            assertThat(redis(vm, "DBSIZE")).isEqualTo("1");
        }

        CliRun r = bbr(env, "deployment", "restore", "--artifact-path", backup.toString());
        assertThat(r.exitCode()).as(describe(r)).isZero();
        for (LabInstance vm : new LabInstance[] {r0, r1}) {
            assertThat(redis(vm, "DBSIZE")).as("keys on %s", vm).isEqualTo("50");
            assertThat(redis(vm, "GET key:7")).isEqualTo("value-7-on-" + vm.index());
            assertThat(redis(vm, "EXISTS written-after-backup")).isEqualTo("0");
        }
        assertThat(l.boshUsers()).isEmpty();
    }
}
