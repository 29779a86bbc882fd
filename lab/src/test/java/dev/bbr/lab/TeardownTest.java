package dev.bbr.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** close() leaves nothing behind; a crashed lab's leftovers are removed by the next start. Also times a 10-instance lab. */
class TeardownTest {
    @TempDir
    Path tmp;

    static void requirePrereqs() {
        List<String> missing = Prerequisites.missing();
        if (!missing.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("lab prerequisites missing: " + missing);
        }
        Assumptions.assumeTrue(missing.isEmpty(), "lab prerequisites missing: " + missing);
    }

    /** Raw /proc/PID/cmdline (sshd rewrites its title, which confuses ProcessHandle.Info). */
    private static List<Long> processesMentioning(String text) {
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", pid.toString(), "cmdline"))).contains(text);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    @Test
    void closeRemovesProcessesUsersMountsAndStateDir() throws Exception {
        requirePrereqs();
        Path state = tmp.resolve("state");
        Path labFile = tmp.resolve("lab.yml");
        Files.writeString(labFile, "jumpbox: false\ndeployments:\n- name: d\n  instance_groups:\n  - name: g\n    instances: 2\n"
                + "    jobs:\n    - name: data\n      params: {bytes: 10}\n");
        Lab lab = Lab.start(labFile, state);
        List<Long> inodes = lab.allVms().stream().map(v -> v.namespace().inode()).toList();
        try {
            TestHttp http = new TestHttp(lab);
            DirectorClientStub d = new DirectorClientStub(http, TestHttp.basic(lab.client(), lab.clientSecret()));
            JsonNode t = d.awaitTask(d.ssh("d", DirectorClientStub.setupBody("d", "g", null, "bosh_00000000000dead", "ssh-rsa AAAA x")));
            assertThat(t.get("state").asText()).isEqualTo("done");
            assertThat(lab.boshUsers()).contains("bosh_00000000000dead");
            assertThat(processesMentioning(state.toString())).isNotEmpty();
            assertThat(ProcessHandle.allProcesses().filter(p -> inodes.contains(inode(p.pid()))).count()).isGreaterThanOrEqualTo(4);
        } finally {
            lab.close();
        }

        assertThat(processesMentioning(state.toString())).isEmpty();
        assertThat(ProcessHandle.allProcesses().filter(p -> inodes.contains(inode(p.pid()))).toList()).isEmpty();
        assertThat(lab.boshUsers()).isEmpty();
        assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain(":bbr-lab:");
        assertThat(Path.of("/etc/sudoers.d/bbr-lab")).doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("/var/vcap");
        assertThat(state).doesNotExist();
        lab.close(); // idempotent
    }

    @Test
    void startCleansUpAfterACrashedLab() throws Exception {
        requirePrereqs();
        Path state = tmp.resolve("crashed");
        Lab first = Lab.start(tmp.resolve("x").getFileSystem().getPath(write("jumpbox: true\n")), state);
        List<Long> pids = processesMentioning(state.toString());
        assertThat(pids).isNotEmpty();
        // simulate a crash: forget the lab object without closing it, pretend its owner is gone
        forget(first);
        Lab second = Lab.start(tmp.resolve("y").getFileSystem().getPath(write("jumpbox: true\n")), tmp.resolve("fresh"));
        try {
            // (namespace inodes get recycled, so check the old processes and anything naming the old state dir)
            assertThat(pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .map(pid -> pid + ":" + status(pid)).toList()).isEmpty();
            assertThat(processesMentioning(state.toString())).isEmpty();
            assertThat(state).doesNotExist();
            assertThat(second.jumpbox().sshdRunning()).isTrue();
        } finally {
            second.close();
        }
    }

    @Test
    void tenInstanceStartupTime() throws Exception {
        requirePrereqs();
        long t0 = System.nanoTime();
        Lab lab = Lab.startFromResource("labs/ten.yml");
        long up = (System.nanoTime() - t0) / 1_000_000;
        try {
            assertThat(lab.instances("lab-deployment")).hasSize(10);
            for (LabInstance i : lab.instances("lab-deployment")) {
                assertThat(i.sshdRunning()).isTrue();
            }
        } finally {
            long t1 = System.nanoTime();
            lab.close();
            long down = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf("LAB TIMING: 10 instances + jumpbox: up %d ms, down %d ms (cores=%d, load=%s)%n", up, down,
                    Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    private String write(String yaml) throws Exception {
        Path f = Files.createTempFile(tmp, "lab", ".yml");
        Files.writeString(f, yaml);
        return f.toString();
    }

    private static String status(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).subList(0, 3).toString()
                    + new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
        } catch (Exception e) {
            return "?";
        }
    }

    private static long inode(long pid) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "mnt")).toString();
            return Long.parseLong(link.replaceAll("\\D", ""));
        } catch (Exception e) {
            return -1;
        }
    }

    /** Test hook: drop the in-JVM "active" lab and its ownership so the next start sees a stale lab. */
    private static void forget(Lab lab) throws Exception {
        var f = Lab.class.getDeclaredField("active");
        f.setAccessible(true);
        f.set(null, null);
        var hook = Lab.class.getDeclaredField("shutdownHook");
        hook.setAccessible(true);
        Runtime.getRuntime().removeShutdownHook((Thread) hook.get(lab));
        // a dead JVM no longer holds the Director port
        var director = Lab.class.getDeclaredField("director");
        director.setAccessible(true);
        ((AutoCloseable) director.get(lab)).close();
        // ownership marker points at a pid that is certainly not a live java process
        Files.writeString(LabState.CURRENT, "1\n" + lab.stateDir() + "\n");
    }
}
