package dev.bbr.lab;

import dev.bbr.lab.junit.LabExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Real redis-server per instance; backup = SAVE + copy, restore = stop, replace dump, start. */
class RedisJobTest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/redis.yml");

    @Test
    void backupAndRestoreRedisData() {
        LabInstance r0 = lab.get().instance("redis", "redis", 0);
        LabInstance r1 = lab.get().instance("redis", "redis", 1);
        String cli0 = "redis-cli -h " + r0.ip() + " ";
        assertThat(r0.exec(cli0 + "SET lab:key before").stdout().strip()).isEqualTo("OK");
        // instances are separate servers
        assertThat(r1.exec("redis-cli -h " + r1.ip() + " GET lab:key").stdout().strip()).isEmpty();

        String art = "/var/vcap/store/bbr-backup/redis";
        ExecResult backup = r0.exec("mkdir -p " + art + " && BBR_ARTIFACT_DIRECTORY=" + art + "/ /var/vcap/jobs/redis/bin/bbr/backup");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        assertThat(r0.varVcap().resolve("store/bbr-backup/redis/dump.rdb")).exists();

        r0.exec(cli0 + "SET lab:key after");
        ExecResult restore = r0.exec("BBR_ARTIFACT_DIRECTORY=" + art + "/ /var/vcap/jobs/redis/bin/bbr/restore");
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(r0.exec(cli0 + "GET lab:key").stdout().strip()).isEqualTo("before");
    }
}
