package dev.bbr.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

/**
 * Faults on one VM that the Director knobs cannot reach: its network connections cut, an SSH port
 * that accepts but never speaks, a transfer held half way, a full disk. Everything happens inside
 * the VM's own mount namespace (private propagation), so the host and the other VMs never see it;
 * {@link #clear()} undoes all of it.
 */
public final class VmFaults {
    /** Which tar a stall catches: the drain's ({@code tar -cf -}) or the restore upload's ({@code tar -xf -}). */
    public enum TarMode { CREATE, EXTRACT }

    /** The scoped "is this process in this VM" test: VMs share the host's pid space. */
    private static final String IN_THIS_VM = "self=$(readlink /proc/self/ns/mnt); in_vm() { [ \"$(readlink /proc/$1/ns/mnt"
            + " 2>/dev/null)\" = \"$self\" ]; }; ";

    private final LabInstance vm;
    private SilentListener silent;

    VmFaults(LabInstance vm) {
        this.vm = vm;
    }

    /**
     * SIGKILLs the sshd processes that serve this VM's open connections, as a network cut would:
     * every session on them ends without an exit status. The listener stays, so new connections work.
     *
     * @return how many processes were killed
     */
    public int cutSshConnections() {
        // sessions are "sshd: <user> [priv]" and "sshd: <user>@notty"; the listener ("sshd: /usr/sbin/sshd
        // … [listener]") must survive, or the cleanup command that follows could not connect
        String out = vm.exec(IN_THIS_VM + "n=0; for p in $(pgrep -f '^sshd: [^/]'); do in_vm $p && kill -9 $p && n=$((n+1));"
                + " done; echo $n").orThrow("cut ssh connections on " + vm.name()).stdout();
        return Integer.parseInt(out.strip());
    }

    /** Stops sshd and answers TCP on its port without ever sending a byte (a hung sshd, a black hole). */
    public synchronized void muteSsh() {
        vm.killSshd();
        silent = SilentListener.open(vm.ip(), 22);
    }

    /**
     * Lets {@code bytes} of the next transfers' tar stream through, then holds them until
     * {@link #releaseTar()} (at most 120 s); {@link #tarStalled} tells when a tar got there.
     */
    public void stallTar(TarMode mode, long bytes) {
        installTarWrapper();
        try {
            Files.deleteIfExists(stalledMarker(mode));
            Files.writeString(runDir().resolve("tar-stall-" + name(mode)), Long.toString(bytes));
        } catch (IOException e) {
            throw new LabException("cannot arm the tar stall on " + vm.name(), e);
        }
    }

    /** True once a tar of this mode passed its bytes and is holding the rest. */
    public boolean tarStalled(TarMode mode) {
        return Files.exists(stalledMarker(mode));
    }

    /** Lets held tars carry on and arms no new stall. */
    public void releaseTar() {
        try {
            for (TarMode mode : TarMode.values()) {
                Files.deleteIfExists(runDir().resolve("tar-stall-" + name(mode)));
            }
        } catch (IOException e) {
            throw new LabException("cannot release the tar stall on " + vm.name(), e);
        }
    }

    /**
     * Puts {@code /var/vcap/store} on a tmpfs of {@code kib} KiB holding a copy of what was there, so a
     * job that writes more fails with "No space left on device".
     */
    public void fillableStore(int kib) {
        vm.exec("set -e; grep -q '^lab-store /var/vcap/store tmpfs' /proc/self/mounts && exit 0; t=$(mktemp -d);"
                + " cp -a /var/vcap/store/. \"$t\"/; mount -t tmpfs -o size=" + kib + "k lab-store /var/vcap/store;"
                + " cp -a \"$t\"/. /var/vcap/store/ || true; rm -rf \"$t\"").orThrow("small store on " + vm.name());
    }

    /**
     * Processes of bbr runs still alive in this VM: lock, backup and restore scripts and transfers run
     * under {@code timeout … env BBR_RUN_ID=…}, so the tag is in their command line.
     */
    public List<String> runProcesses() {
        String out = vm.exec(IN_THIS_VM + "for p in $(pgrep -f 'BBR_RUN_ID=[0-9a-zA-Z]'); do in_vm $p &&"
                + " echo \"$p $(tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null)\"; done; true").stdout();
        return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    /** Undoes every fault of this class: sshd back and speaking, tars flowing, the store on its disk. */
    public synchronized void clear() {
        if (silent != null) {
            silent.close();
            silent = null;
        }
        if (!vm.sshdRunning()) {
            vm.startSshd();
        }
        if (Files.isDirectory(runDir())) {
            releaseTar();
        }
        // /proc/self/mounts lines are "<device> <mount point> <type> …"
        vm.exec("while grep -q '^lab-store /var/vcap/store tmpfs' /proc/self/mounts; do umount /var/vcap/store; done")
                .orThrow("unmount the small store on " + vm.name());
    }

    /**
     * Binds the wrapper over /usr/bin/tar in this VM's namespace (and the real tar where the wrapper
     * finds it), once; without a knob the wrapper just execs the real tar.
     */
    private synchronized void installTarWrapper() {
        Path dir = runDir();
        try {
            Files.createDirectories(dir);
            try (InputStream in = VmFaults.class.getClassLoader().getResourceAsStream("vm/lab-tar")) {
                if (in == null) {
                    throw new LabException("resource vm/lab-tar missing");
                }
                Files.copy(in, dir.resolve("tar"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(dir.resolve("tar"), PosixFilePermissions.fromString("rwxr-xr-x"));
            if (!Files.exists(dir.resolve("tar.real"))) {
                Files.createFile(dir.resolve("tar.real"));
            }
        } catch (IOException e) {
            throw new LabException("cannot install the tar wrapper on " + vm.name(), e);
        }
        vm.exec("set -e; grep -q ' /var/vcap/sys/run/lab/tar.real ' /proc/self/mountinfo && exit 0;"
                + " mount --bind /usr/bin/tar /var/vcap/sys/run/lab/tar.real;"
                + " mount --bind /var/vcap/sys/run/lab/tar /usr/bin/tar").orThrow("tar wrapper on " + vm.name());
    }

    private Path runDir() {
        return vm.varVcap().resolve("sys/run/lab");
    }

    private Path stalledMarker(TarMode mode) {
        return runDir().resolve("tar-stalled-" + name(mode));
    }

    private static String name(TarMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
