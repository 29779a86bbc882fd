package dev.bbr.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.lab.junit.LabExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The ssh task creates real users that can log in exactly where they were set up. */
class SshAccessTest {
    @RegisterExtension
    static LabExtension lab = LabExtension.fromResource("labs/default.yml");

    @TempDir
    Path tmp;

    private DirectorClientStub director() throws Exception {
        Lab l = lab.get();
        return new DirectorClientStub(new TestHttp(l), TestHttp.basic(l.client(), l.clientSecret()));
    }

    @Test
    void setupUserLogsInOnlyOnTargetedInstancesWithSudoAndCleanupRemovesIt() throws Exception {
        Lab l = lab.get();
        DirectorClientStub d = director();
        Path key = OpenSsh.newKey(tmp, "id");
        String user = "bosh_1a2b3c4d5e6f7a8";
        JsonNode task = d.awaitTask(d.ssh("lab-deployment",
                DirectorClientStub.setupBody("lab-deployment", "database", "1", user, Files.readString(key.resolveSibling("id.pub")))));
        assertThat(task.get("state").asText()).isEqualTo("done");
        String result = d.result(task);
        assertThat(result).endsWith("]\n").doesNotContain("\n[");
        JsonNode entries = DirectorClientStub.JSON.readTree(result);
        assertThat(entries).hasSize(1);
        JsonNode e = entries.get(0);
        LabInstance target = l.instance("lab-deployment", "database", 1);
        assertThat(e.get("status").asText()).isEqualTo("success");
        assertThat(e.get("ip").asText()).isEqualTo(target.ip());
        assertThat(e.get("id").asText()).isEqualTo(target.id());
        assertThat(e.get("index").asInt()).isEqualTo(1);
        assertThat(e.get("job").asText()).isEqualTo("database");
        assertThat(e.get("host_public_key").asText()).startsWith("ssh-rsa ").isEqualTo(target.hostPublicKey());

        // login + passwordless sudo on the targeted instance, host key pinned to what the Director returned
        Path kh = OpenSsh.knownHosts(tmp, target.ip(), e.get("host_public_key").asText());
        ExecResult ok = OpenSsh.run(key, kh, user, target.ip(), "sudo -n true && hostname && id -un");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).contains("database-1").contains(user);
        assertThat(target.hasAuthorizedKeyFor(user)).isTrue();

        // not on the other instances, although the OS user exists host-wide
        for (LabInstance other : l.instances("lab-deployment")) {
            if (other == target) {
                continue;
            }
            assertThat(other.hasAuthorizedKeyFor(user)).isFalse();
            Path okh = OpenSsh.knownHosts(tmp, other.ip(), other.hostPublicKey());
            assertThat(OpenSsh.run(key, okh, user, other.ip(), "true").exitCode()).as(other.name()).isEqualTo(255);
        }
        assertThat(l.boshUsers()).contains(user);

        // cleanup (not awaited by bbr, but we wait to assert)
        JsonNode cleanup = d.awaitTask(d.ssh("lab-deployment",
                DirectorClientStub.cleanupBody("lab-deployment", "database", target.id(), user)));
        assertThat(cleanup.get("state").asText()).isEqualTo("done");
        assertThat(target.hasAuthorizedKeyFor(user)).isFalse();
        assertThat(l.boshUsers()).doesNotContain(user);
        assertThat(OpenSsh.run(key, kh, user, target.ip(), "true").exitCode()).isEqualTo(255);
    }

    @Test
    void groupSetupCoversEveryInstanceOfTheGroupAndUserStaysUntilLastKeyIsGone() throws Exception {
        Lab l = lab.get();
        DirectorClientStub d = director();
        Path key = OpenSsh.newKey(tmp, "grp");
        String user = "bosh_0000000000000aa";
        JsonNode task = d.awaitTask(d.ssh("lab-deployment",
                DirectorClientStub.setupBody("lab-deployment", "database", null, user, Files.readString(key.resolveSibling("grp.pub")))));
        assertThat(DirectorClientStub.JSON.readTree(d.result(task))).hasSize(2);
        LabInstance db0 = l.instance("lab-deployment", "database", 0);
        LabInstance db1 = l.instance("lab-deployment", "database", 1);
        assertThat(db0.hasAuthorizedKeyFor(user)).isTrue();
        assertThat(db1.hasAuthorizedKeyFor(user)).isTrue();
        assertThat(l.instance("lab-deployment", "web", 0).hasAuthorizedKeyFor(user)).isFalse();

        d.awaitTask(d.ssh("lab-deployment", DirectorClientStub.cleanupBody("lab-deployment", "database", db0.id(), user)));
        assertThat(db0.hasAuthorizedKeyFor(user)).isFalse();
        assertThat(l.boshUsers()).contains(user);
        d.awaitTask(d.ssh("lab-deployment", DirectorClientStub.cleanupBody("lab-deployment", "database", db1.id(), user)));
        assertThat(l.boshUsers()).doesNotContain(user);
    }

    @Test
    void sshSetupFaultFailsTheTaskWithAnEventLogError() throws Exception {
        Lab l = lab.get();
        DirectorClientStub d = director();
        l.faults().failSshSetup("lab-deployment", "web", 0);
        try {
            JsonNode task = d.awaitTask(d.ssh("lab-deployment",
                    DirectorClientStub.setupBody("lab-deployment", "web", null, "bosh_00000000000fa11", "ssh-rsa AAAA x")));
            assertThat(task.get("state").asText()).isEqualTo("error");
            assertThat(task.get("result").asText()).contains("Action Failed ssh");
            TestHttp http = new TestHttp(l);
            String events = http.get("/tasks/" + task.get("id").asInt() + "/output?type=event",
                    TestHttp.basic(l.client(), l.clientSecret())).body();
            assertThat(events).contains("\"error\":{\"code\":450001");
        } finally {
            l.faults().clear();
        }
    }

    @Test
    void eachInstanceHasItsOwnVarVcapAndHostname() {
        Lab l = lab.get();
        LabInstance a = l.instance("lab-deployment", "database", 0);
        LabInstance b = l.instance("lab-deployment", "database", 1);
        assertThat(a.exec("echo hello > /var/vcap/store/only-here && hostname").stdout().strip()).isEqualTo("database-0");
        assertThat(b.exec("hostname").stdout().strip()).isEqualTo("database-1");
        assertThat(b.exec("test -e /var/vcap/store/only-here").exitCode()).isEqualTo(1);
        assertThat(a.varVcap().resolve("store/only-here")).exists();
        assertThat(b.varVcap().resolve("store/only-here")).doesNotExist();
        // the host's /var/vcap is untouched
        assertThat(Path.of("/var/vcap/store/only-here")).doesNotExist();
        assertThat(a.exec("ls /var/vcap/jobs").stdout()).contains("data", "lock-recorder", "ordered-a", "backup-one-restore-all");
        assertThat(l.instance("lab-deployment", "web", 0).exec("ls /var/vcap/jobs").stdout()).contains("ordered-b", "failing", "slow");
    }

    @Test
    void directorVmAndJumpboxAcceptTheirFixedKeys() throws Exception {
        Lab l = lab.get();
        LabInstance dvm = l.directorVm();
        Path kh = OpenSsh.knownHosts(tmp, dvm.ip(), dvm.hostPublicKey());
        ExecResult r = OpenSsh.run(l.directorVmKey(), kh, l.env().get("LAB_DIRECTOR_VM_USER"), dvm.ip(),
                "sudo -n ls /var/vcap/jobs && hostname");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("data", "lock-recorder", "bosh-0");

        // through the jumpbox (ProxyJump-like) to an instance, like BOSH_ALL_PROXY=ssh+socks5://...
        String proxy = l.jumpboxProxyUrl();
        assertThat(proxy).startsWith("ssh+socks5://lab-jumpbox@127.0.0.12:22?private-key=");
        String jumpKey = proxy.substring(proxy.indexOf("private-key=") + 12);
        LabInstance jb = l.jumpbox();
        Path jkh = OpenSsh.knownHosts(tmp, jb.ip(), jb.hostPublicKey());
        ExecResult viaJump = OpenSsh.run(l.directorVmKey(), kh, l.env().get("LAB_DIRECTOR_VM_USER"), dvm.ip(), "hostname",
                "-o", "ProxyCommand=ssh -i " + jumpKey + " -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=" + jkh
                        + " -o StrictHostKeyChecking=yes -W %h:%p lab-jumpbox@" + jb.ip());
        assertThat(viaJump.exitCode()).as(viaJump.stderr()).isZero();
        assertThat(viaJump.stdout().strip()).isEqualTo("bosh-0");
    }

    @Test
    void killedSshdRefusesConnectionsAndCanBeRestarted() throws Exception {
        Lab l = lab.get();
        LabInstance web = l.instance("lab-deployment", "web", 0);
        l.faults().killSshd(web.name());
        try {
            assertThat(web.sshdRunning()).isFalse();
            try (java.net.Socket s = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress(web.ip(), 22), 1000))
                        .isInstanceOf(java.io.IOException.class);
            }
            // the VM itself (namespace, files) is still there
            assertThat(web.exec("hostname").stdout().strip()).isEqualTo("web-0");
        } finally {
            web.startSshd();
        }
        assertThat(web.sshdRunning()).isTrue();
        assertThat(Files.readString(web.sshdLog())).contains("Server listening on " + web.ip() + " port 22");
    }

    @Test
    void bbrStyleCommandSequenceOverOpenSsh() throws Exception {
        Lab l = lab.get();
        DirectorClientStub d = director();
        Path key = OpenSsh.newKey(tmp, "seq");
        String user = "bosh_5eq5eq5eq5eq5eq";
        LabInstance vm = l.instance("lab-deployment", "database", 0);
        JsonNode task = d.awaitTask(d.ssh("lab-deployment",
                DirectorClientStub.setupBody("lab-deployment", "database", vm.id(), user, Files.readString(key.resolveSibling("seq.pub")))));
        assertThat(task.get("state").asText()).isEqualTo("done");
        Path kh = OpenSsh.knownHosts(tmp, vm.ip(), vm.hostPublicKey());
        try {
            ExecResult find = OpenSsh.run(key, kh, user, vm.ip(), "sudo sh -c 'find /var/vcap/jobs/*/bin/bbr/* -type f'");
            assertThat(find.stdout().lines()).contains("/var/vcap/jobs/data/bin/bbr/backup", "/var/vcap/jobs/ordered-a/bin/bbr/metadata");
            String dir = "/var/vcap/store/bbr-backup/data";
            assertThat(OpenSsh.run(key, kh, user, vm.ip(), "sudo mkdir -p " + dir).exitCode()).isZero();
            ExecResult backup = OpenSsh.run(key, kh, user, vm.ip(),
                    "sudo BBR_ARTIFACT_DIRECTORY=" + dir + "/ ARTIFACT_DIRECTORY=" + dir + "/ /var/vcap/jobs/data/bin/bbr/backup");
            assertThat(backup.exitCode()).as(backup.stderr()).isZero();
            assertThat(OpenSsh.run(key, kh, user, vm.ip(), "sudo du -s " + dir).stdout()).matches("(?s)\\d+\\s+" + dir + "\\s*");

            // stream the artifact as bbr does: tar on stdout of the ssh session
            Path tar = tmp.resolve("data.tar");
            Process p = new ProcessBuilder("ssh", "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                    "-o", "UserKnownHostsFile=" + kh, "-o", "LogLevel=ERROR", user + "@" + vm.ip(), "sudo tar -C " + dir + " -c .")
                    .redirectOutput(tar.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor()).isZero();
            assertThat(Cmd.run("tar", "-tf", tar.toString()).stdout().lines())
                    .contains("./data/it's quoted.txt", "./data/nested/dir one/file with spaces.bin", "./sha256sums");
            assertThat(OpenSsh.run(key, kh, user, vm.ip(), "sudo rm -rf /var/vcap/store/bbr-backup").exitCode()).isZero();
            assertThat(vm.varVcap().resolve("store/bbr-backup")).doesNotExist();
        } finally {
            d.awaitTask(d.ssh("lab-deployment", DirectorClientStub.cleanupBody("lab-deployment", "database", vm.id(), user)));
        }
        assertThat(l.boshUsers()).doesNotContain(user);
        // the handshakes are in the VM's own sshd log (benchmarks count these)
        assertThat(Files.readString(vm.sshdLog())).contains("Accepted publickey for " + user);
    }
}
