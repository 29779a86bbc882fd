package dev.bbr.lab;

import dev.bbr.lab.vm.Namespace;
import dev.bbr.lab.vm.Sshd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One lab VM: a real sshd on its own 127.0.0.x:22 inside its own mount+UTS namespace, with its
 * own /var/vcap (a directory in the state dir) and RSA host key. Deployment instances, the
 * director VM and the jumpbox are all LabInstances.
 */
public final class LabInstance {
    private final String deployment;
    private final String group;
    private final int index;
    private final String id;
    private final String ip;
    private final String az;
    private final boolean bootstrap;
    private final Path dir;
    private final Namespace ns;
    private final Sshd sshd;
    private final String hostPublicKey;
    private final VmFaults faults = new VmFaults(this);

    LabInstance(String deployment, String group, int index, String id, String ip, String az, boolean bootstrap,
                Path dir, Namespace ns, Sshd sshd, String hostPublicKey) {
        this.deployment = deployment;
        this.group = group;
        this.index = index;
        this.id = id;
        this.ip = ip;
        this.az = az;
        this.bootstrap = bootstrap;
        this.dir = dir;
        this.ns = ns;
        this.sshd = sshd;
        this.hostPublicKey = hostPublicKey;
    }

    /** Deployment name, or "director-vm" / "jumpbox" for the special VMs. */
    public String deployment() { return deployment; }
    public String group() { return group; }
    public int index() { return index; }
    public String id() { return id; }
    public String ip() { return ip; }
    public String az() { return az; }
    public boolean bootstrap() { return bootstrap; }
    /** "group-index", also the VM's hostname. */
    public String hostname() { return group + "-" + index; }
    /** "deployment/group/index" - the name fault knobs use. */
    public String name() { return deployment + "/" + group + "/" + index; }

    /** Host path that the VM sees as /var/vcap. */
    public Path varVcap() {
        return dir.resolve("varvcap");
    }

    /** The VM's RSA host public key line ("ssh-rsa AAAA... root@host\n"), as the Director reports it. */
    public String hostPublicKey() {
        return hostPublicKey;
    }

    public Path sshdLog() {
        return dir.resolve("sshd.log");
    }

    /** Runs a bash command as root inside the VM (its /var/vcap, its hostname). */
    public ExecResult exec(String bashCommand) {
        return ns.exec(bashCommand, 300);
    }

    /** True if the VM has an authorized key for this user (i.e. the user can log in here). */
    public boolean hasAuthorizedKeyFor(String user) {
        Path keys = varVcap().resolve("bosh_ssh").resolve(user).resolve(".ssh/authorized_keys");
        try {
            return Files.isRegularFile(keys) && Files.size(keys) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Users with an authorized key on this VM. */
    public Set<String> sshUsers() {
        Set<String> out = new TreeSet<>();
        Path base = varVcap().resolve("bosh_ssh");
        if (Files.isDirectory(base)) {
            try (Stream<Path> s = Files.list(base)) {
                s.map(p -> p.getFileName().toString()).filter(this::hasAuthorizedKeyFor).forEach(out::add);
            } catch (IOException e) {
                throw new LabException("cannot list " + base, e);
            }
        }
        return out;
    }

    /** SIGKILLs this VM's sshd (new connections are refused; the VM itself stays). */
    public void killSshd() {
        sshd.kill();
    }

    /** Starts sshd again after {@link #killSshd()}. */
    public void startSshd() {
        sshd.start();
    }

    /** Faults of this VM itself (connections cut, a mute sshd, transfers held, a full disk). */
    public VmFaults faults() {
        return faults;
    }

    public boolean sshdRunning() {
        return sshd.running();
    }

    long sshdPid() {
        return sshd.pid();
    }

    Namespace namespace() {
        return ns;
    }

    @Override
    public String toString() {
        return name() + "@" + ip;
    }
}
