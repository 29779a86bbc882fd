package dev.bbr.lab;

import dev.bbr.lab.vm.JobInstaller;
import dev.bbr.lab.vm.Namespace;
import dev.bbr.lab.vm.Sshd;
import dev.bbr.lab.vm.SshdConfigWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds one VM on disk, starts its namespace, sshd and job processes (bin/ctl start). */
final class VmBuilder {
    static final String BANNER = "Unauthorized use is strictly prohibited. All access and activity\n"
            + "is subject to logging and monitoring.\n";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VmBuilder.class);
    private final Path stateDir;

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private final String netns;

    /** @param netns network namespace to put VMs in (/proc/PID/ns/net), or null for the host network */
    VmBuilder(Path stateDir, String netns) {
        this.stateDir = stateDir;
        this.netns = netns;
    }

    LabInstance build(VmSpec spec) {
        long t0 = System.nanoTime();
        try {
            Path dir = stateDir.resolve("vms").resolve(spec.dirName());
            Path varVcap = dir.resolve("varvcap");
            for (String sub : List.of("jobs", "store", "sys/log", "sys/run", "bosh_ssh")) {
                Files.createDirectories(varVcap.resolve(sub));
            }
            Files.setPosixFilePermissions(varVcap, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(varVcap.resolve("bosh_ssh"), PosixFilePermissions.fromString("rwxr-xr-x"));
            String hostname = spec.group() + "-" + spec.index();
            Path hosts = dir.resolve("hosts");
            Files.writeString(hosts, "127.0.0.1 localhost\n" + spec.ip() + " " + hostname + "\n::1 localhost ip6-localhost\n");
            Path hostKey = dir.resolve("ssh_host_rsa_key");
            KeyCache.sshKey("host-" + spec.ip(), hostKey, "root@" + hostname, false);
            String hostPub = Files.readString(dir.resolve("ssh_host_rsa_key.pub"));
            long tKey = System.nanoTime();

            Map<String, String> env = new LinkedHashMap<>();
            env.put("LAB_DEPLOYMENT", spec.deployment());
            env.put("LAB_GROUP", spec.group());
            env.put("LAB_INDEX", Integer.toString(spec.index()));
            env.put("LAB_INSTANCE", spec.group() + "/" + spec.index());
            env.put("LAB_INSTANCE_ID", spec.id());
            env.put("LAB_IP", spec.ip());
            env.put("LAB_BOOTSTRAP", Boolean.toString(spec.bootstrap()));
            List<String> ctlJobs = new ArrayList<>();
            for (LabConfig.Job job : spec.jobs()) {
                if (JobInstaller.install(varVcap, job, env)) {
                    ctlJobs.add(job.name());
                }
            }
            Path config = SshdConfigWriter.write(dir, spec.ip(), stateDir.resolve("banner"));
            Namespace ns = Namespace.create(varVcap, hosts, hostname, dir.resolve("namespace.log"), netns);
            LabState.recordNamespace(stateDir, ns.inode(), spec.name());
            long tNs = System.nanoTime();
            Sshd sshd = new Sshd(ns, spec.ip(), config, dir.resolve("sshd.log"), netns == null);
            sshd.start();
            long tSshd = System.nanoTime();
            for (String job : ctlJobs) {
                ns.exec("/var/vcap/jobs/" + job + "/bin/ctl start >>/var/vcap/sys/log/" + job + "-ctl.log 2>&1", 120)
                        .orThrow("ctl start of " + job + " on " + spec.name()
                                + " (see " + varVcap.resolve("sys/log/" + job + "-ctl.log") + ")");
            }
            LOG.debug("{}: host key {} ms, files+namespace {} ms, sshd {} ms, jobs {} ms", spec.name(), ms(tKey - t0),
                    ms(tNs - tKey), ms(tSshd - tNs), ms(System.nanoTime() - tSshd));
            return new LabInstance(spec.deployment(), spec.group(), spec.index(), spec.id(), spec.ip(), spec.az(),
                    spec.bootstrap(), dir, ns, sshd, hostPub);
        } catch (IOException e) {
            throw new LabException("cannot build VM " + spec.name() + ": " + e.getMessage(), e);
        }
    }
}
