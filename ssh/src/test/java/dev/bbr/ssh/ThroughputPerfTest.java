package dev.bbr.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.ssh.proxy.AllProxy;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optional measurement: {@code ./mvnw -o -B -pl ssh verify -Dtest=ThroughputPerfTest -Dbbr.perf=true}.
 * Streams 256 MiB through InstanceConnection (SHA-256 hashed in Java) and through OpenSSH `ssh cat`.
 */
@EnabledIfSystemProperty(named = "bbr.perf", matches = "true")
class ThroughputPerfTest {

    @TempDir
    Path tmp;

    @Test
    void stream256MiB() throws Exception {
        try (TestSshd sshd = TestSshd.start(tmp.resolve("sshd"))) {
            Path keyFile = tmp.resolve("id");
            TestSshd.exec(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keyFile.toString()));
            SshKey key = SshKey.fromPemFile(keyFile);
            sshd.authorize(key.authorizedKeysLine());
            String file = "/tmp/bbr-ssh-perf-" + ProcessHandle.current().pid();
            try (InstanceConnection c = SshTransport.create(AllProxy.direct()).connect(
                    ConnectionSpec.of("127.0.0.1", sshd.port, "root", key, HostKeyCheck.pinned(sshd.hostPublicKey("rsa"))))) {
                c.run("head -c 268435456 /dev/urandom > " + file);
                try {
                    for (int round = 0; round < 3; round++) {
                        MessageDigest md = MessageDigest.getInstance("SHA-256");
                        long t0 = System.nanoTime();
                        CommandResult r = c.run("cat " + file, null, new DigestOutputStream(OutputStream.nullOutputStream(), md));
                        double java = 268.435456 / ((System.nanoTime() - t0) / 1e9);
                        assertThat(r.exitCode()).isZero();

                        long t1 = System.nanoTime();
                        TestSshd.exec(List.of("sh", "-c", "ssh -i " + keyFile + " -p " + sshd.port
                                + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes"
                                + " -c aes128-gcm@openssh.com root@127.0.0.1 cat " + file + " > /dev/null"));
                        double openssh = 268.435456 / ((System.nanoTime() - t1) / 1e9);
                        long t2 = System.nanoTime();
                        CommandResult up = c.run("cat > /dev/null", new java.io.InputStream() {
                            long left = 268435456L;

                            @Override
                            public int read() {
                                throw new UnsupportedOperationException();
                            }

                            @Override
                            public int read(byte[] b, int off, int len) {
                                if (left == 0) {
                                    return -1;
                                }
                                int n = (int) Math.min(len, left);
                                left -= n;
                                return n;
                            }
                        }, OutputStream.nullOutputStream());
                        double upload = 268.435456 / ((System.nanoTime() - t2) / 1e9);
                        assertThat(up.exitCode()).isZero();
                        System.out.printf("round %d: download InstanceConnection+SHA-256 %.0f MB/s, OpenSSH ssh cat >/dev/null %.0f MB/s;"
                                + " upload InstanceConnection %.0f MB/s%n", round, java, openssh, upload);
                    }
                } finally {
                    c.run("rm -f " + file);
                }
            }
        }
    }
}
