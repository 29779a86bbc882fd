package dev.bbr.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The "private" topology: one network namespace (held by a sleep process) with a veth to the
 * host (10.245.0.1 host side, 10.245.0.2 = jumpbox inside), VM addresses 10.244.0.x on its lo,
 * a TCP relay for the Director/UAA ports, and an "unreachable" host route for 10.244.0.0/24 so
 * nothing on the host can shortcut the jumpbox. Killing the holder removes the namespace and the
 * veth; the route is removed explicitly.
 */
final class PrivateNetwork implements AutoCloseable {
    static final String HOST_VETH = "bbrlab0";
    static final String MARKER_PREFIX = "bbr-lab-net ";

    private final Process holder;
    private final List<Process> relays = new ArrayList<>();

    private PrivateNetwork(Process holder) {
        this.holder = holder;
    }

    static PrivateNetwork create(Path stateDir, Addresses addr, List<String> vmIps) {
        removeHostLeftovers();
        ProcessBuilder pb = new ProcessBuilder("unshare", "--net", "--", "/bin/bash", "-c",
                "exec -a \"" + MARKER_PREFIX + stateDir + "\" sleep infinity");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("network.log").toFile()));
        PrivateNetwork net;
        try {
            net = new PrivateNetwork(pb.start());
        } catch (IOException e) {
            throw new LabException("cannot create the private network namespace", e);
        }
        LabState.recordPid(stateDir, net.holder.pid(), MARKER_PREFIX + stateDir);
        try {
            String pid = Long.toString(net.holder.pid());
            // the holder has its own namespace once unshare(2) ran: its ns/net link differs from ours
            String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            for (int i = 0; i < 400 && own.equals(netLink(pid)); i++) {
                Thread.sleep(5);
            }
            if (own.equals(netLink(pid))) {
                throw new LabException("private network namespace did not appear");
            }
            host("ip", "link", "add", HOST_VETH, "type", "veth", "peer", "name", "eth0", "netns", pid);
            host("ip", "addr", "add", Addresses.HOST_VETH_IP + "/30", "dev", HOST_VETH);
            host("ip", "link", "set", HOST_VETH, "up");
            host("ip", "route", "add", "unreachable", Addresses.PRIVATE_SUBNET);
            net.inside("ip", "link", "set", "lo", "up");
            net.inside("ip", "link", "set", "eth0", "up");
            net.inside("ip", "addr", "add", addr.jumpboxIp() + "/30", "dev", "eth0");
            net.inside("ip", "addr", "add", addr.directorIp() + "/32", "dev", "lo");
            for (String ip : vmIps) {
                if (ip.startsWith(addr.instancePrefix())) {
                    net.inside("ip", "addr", "add", ip + "/32", "dev", "lo");
                }
            }
            net.startRelay(stateDir, addr);
            return net;
        } catch (RuntimeException | InterruptedException | IOException e) {
            net.close();
            throw e instanceof LabException le ? le : new LabException("private network setup failed: " + e.getMessage(), e);
        }
    }

    private static String netLink(String pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", pid, "ns", "net")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    String netnsPath() {
        return "/proc/" + holder.pid() + "/ns/net";
    }

    private void inside(String... argv) {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + netnsPath(), "--"));
        full.addAll(List.of(argv));
        Cmd.run(full, null, 30).orThrow(String.join(" ", argv) + " (in private network)");
    }

    private static void host(String... argv) {
        Cmd.run(argv).orThrow(String.join(" ", argv));
    }

    private void startRelay(Path stateDir, Addresses addr) throws InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // only JDK classes are needed; point at wherever TcpRelay was loaded from (classes dir or jar)
        String cp;
        try {
            cp = Path.of(TcpRelay.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new LabException("cannot locate lab classes for the relay", e);
        }
        String marker = "-Dbbr.lab.relay=" + stateDir;
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netnsPath(), "--", java, marker, "-Xmx32m",
                "-XX:TieredStopAtLevel=1", "-cp", cp, TcpRelay.class.getName()));
        for (int port : new int[]{Addresses.DIRECTOR_PORT, Addresses.UAA_PORT}) {
            argv.add(addr.directorIp() + ":" + port + "=" + addr.directorBindIp() + ":" + port);
        }
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            relays.add(p);
            LabState.recordPid(stateDir, p.pid(), marker);
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (!"relay ready".equals(line)) {
                throw new LabException("Director relay in the private network failed: " + line);
            }
        } catch (IOException e) {
            throw new LabException("cannot start the Director relay", e);
        }
    }

    /** tc netem on the namespace end of the veth ("off" = remove); unsupported without sch_netem. */
    void netem(String spec) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + netnsPath(), "--", "tc", "qdisc"));
        if (spec.isBlank() || spec.equals("off")) {
            argv.addAll(List.of("del", "dev", "eth0", "root"));
            Cmd.run(argv, null, 30);
            return;
        }
        argv.addAll(List.of("replace", "dev", "eth0", "root", "netem"));
        argv.addAll(List.of(spec.trim().split("\\s+")));
        ExecResult r = Cmd.run(argv, null, 30);
        if (!r.ok()) {
            if (r.stderr().contains("qdisc kind is unknown") || r.stderr().contains("No such file")) {
                throw new UnsupportedOperationException("netem is unsupported: this kernel has no sch_netem qdisc (tc: "
                        + r.stderr().strip() + "); requested: " + spec);
            }
            throw new LabException("tc netem " + spec + " failed: " + r.stderr().strip());
        }
    }

    /** Route and veth of a previous (crashed) private lab. */
    static void removeHostLeftovers() {
        Cmd.run("ip", "route", "del", "unreachable", Addresses.PRIVATE_SUBNET);
        Cmd.run("ip", "link", "del", HOST_VETH);
    }

    @Override
    public void close() {
        for (Process p : relays) {
            p.destroyForcibly();
        }
        holder.destroyForcibly();
        try {
            holder.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeHostLeftovers();
    }
}
