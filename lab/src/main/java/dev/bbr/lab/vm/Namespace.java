package dev.bbr.lab.vm;

import dev.bbr.lab.Cmd;
import dev.bbr.lab.ExecResult;
import dev.bbr.lab.LabException;

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
 * A VM's private mount + UTS namespace, kept alive by a tiny holder process (sleep) so sshd can be
 * killed and restarted without losing the VM. Inside it the VM's directory is bind-mounted over
 * /var/vcap, a per-VM hosts file over /etc/hosts (so sudo can resolve the VM hostname) and the
 * hostname is "group-index". Mount propagation is private, so nothing leaks to the host.
 */
public final class Namespace {
    private static final String SETUP = String.join("\n",
            "set -eu",
            "mount --make-rprivate /",
            "mount --bind \"$LAB_VARVCAP\" /var/vcap",
            "mount --bind \"$LAB_HOSTS\" /etc/hosts",
            "hostname \"$LAB_HOSTNAME\"",
            "echo ready",
            // argv[0] names the VM dir so stale cleanup can prove a namespace is ours (inodes get recycled)
            "exec -a \"bbr-lab-holder $LAB_VARVCAP\" sleep infinity");

    private final Process holder;
    private final long inode;

    private Namespace(Process holder, long inode) {
        this.holder = holder;
        this.inode = inode;
    }

    /** @param netns null = host network, else a /proc/PID/ns/net path to join first (private topology) */
    public static Namespace create(Path varVcap, Path hostsFile, String hostname, Path logFile, String netns) {
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.addAll(List.of("nsenter", "--net=" + netns, "--"));
        }
        argv.addAll(List.of("unshare", "--mount", "--uts", "--propagation", "private", "--", "/bin/bash", "-c", SETUP));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("LAB_VARVCAP", varVcap.toString());
        pb.environment().put("LAB_HOSTS", hostsFile.toString());
        pb.environment().put("LAB_HOSTNAME", hostname);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (!"ready".equals(line)) {
                p.destroyForcibly();
                throw new LabException("namespace for " + hostname + " did not come up; see " + logFile + ": "
                        + Files.readString(logFile).strip());
            }
            return new Namespace(p, mntInode(p.pid()));
        } catch (IOException e) {
            throw new LabException("cannot create namespace for " + hostname + ": " + e.getMessage(), e);
        }
    }

    public long holderPid() {
        return holder.pid();
    }

    public long inode() {
        return inode;
    }

    /** Runs bash as root inside the namespace. */
    public ExecResult exec(String bashCommand, long timeoutSeconds) {
        return Cmd.run(enter("/bin/bash", "-c", bashCommand), null, timeoutSeconds);
    }

    /** argv that runs {@code cmd} inside this namespace. */
    public List<String> enter(String... cmd) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target", Long.toString(holder.pid()), "--mount", "--uts", "--net", "--"));
        argv.addAll(List.of(cmd));
        return argv;
    }

    /** Kills every process living in this namespace (sshd, sessions, redis, holder); the mounts die with them. */
    public void destroy() {
        killNamespace(inode, null);
        try {
            holder.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long mntInode(long pid) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "mnt")).toString();
            return Long.parseLong(link.replaceAll("\\D", ""));
        } catch (IOException | NumberFormatException e) {
            throw new LabException("cannot read mount namespace of pid " + pid, e);
        }
    }

    /**
     * SIGKILLs all processes whose mount namespace has this inode, repeating until none are left
     * (a dying sshd can still fork). Never touches the host's or our own namespace. With an
     * ownerMarker (stale cleanup) only if some member's command line contains it.
     */
    public static void killNamespace(long inode, String ownerMarker) {
        long host = safeInode(1);
        long self = safeInode(ProcessHandle.current().pid());
        if (inode == host || inode == self || inode <= 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean proven = ownerMarker == null;
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> members = ProcessHandle.allProcesses().filter(ph -> safeInode(ph.pid()) == inode).toList();
            if (members.isEmpty()) {
                return;
            }
            if (!proven && members.stream().noneMatch(ph -> cmdline(ph.pid()).contains(ownerMarker))) {
                // a recycled inode now used by somebody else's namespace: not ours to kill
                return;
            }
            // once proven, keep killing even after the marked processes are gone (redis, sessions...)
            proven = true;
            members.forEach(ProcessHandle::destroyForcibly);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long safeInode(long pid) {
        try {
            return mntInode(pid);
        } catch (LabException e) {
            return -1;
        }
    }
}
