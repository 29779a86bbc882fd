package dev.bbr.lab;

import dev.bbr.lab.director.DirectorDeployment;
import dev.bbr.lab.director.DirectorInstance;
import dev.bbr.lab.director.DirectorServer;
import dev.bbr.lab.director.DirectorSettings;
import dev.bbr.lab.director.RequestLog;
import dev.bbr.lab.director.TlsMaterial;
import dev.bbr.lab.director.TokenIssuer;
import dev.bbr.lab.vm.OsUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The lab: a simulated BOSH Director (HTTPS) in front of real OpenSSH "VMs". Start it with
 * {@link #start(Path, Path)} or {@link #startFromResource(String)}; {@link #close()} removes every
 * process, user, sudoers file, namespace and the state dir it created.
 */
public final class Lab implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
    public static final String DIRECTOR_VM = "director-vm";
    public static final String JUMPBOX = "jumpbox";
    private static final String JUMPBOX_USER = "lab-jumpbox";

    private static Lab active;

    private final Path stateDir;
    private final LabConfig config;
    private final Addresses addr;
    private PrivateNetwork network;
    private final List<LabInstance> vms = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, LabInstance> byName = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, DirectorDeployment> deployments = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private RequestLog requestLog;
    private DirectorServer director;
    private DirectorSettings settings;
    private Faults faults;
    private String directorVmKey;
    private String jumpboxKey;
    private Thread shutdownHook;
    private boolean closed;

    private Lab(Path stateDir, LabConfig config) {
        this.stateDir = stateDir;
        this.config = config;
        this.addr = config.privateTopology() ? Addresses.privateNetwork() : Addresses.loopback();
    }

    public static Lab startFromResource(String resource) {
        try (InputStream in = Lab.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new LabException("lab file resource not found: " + resource);
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Path dir = Files.createTempDirectory("bbr-lab-");
            try {
                return start(LabConfig.parse(yaml), dir);
            } catch (RuntimeException e) {
                // start() removes a state dir it took over; an untouched empty temp dir is ours to drop
                try (var s = Files.list(dir)) {
                    if (s.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                } catch (IOException ignored) {
                    // already gone
                }
                throw e;
            }
        } catch (IOException e) {
            throw new LabException("cannot read " + resource, e);
        }
    }

    public static Lab start(Path labFile, Path stateDir) {
        try {
            return start(LabConfig.parse(Files.readString(labFile)), stateDir);
        } catch (IOException e) {
            throw new LabException("cannot read lab file " + labFile, e);
        }
    }

    public static Lab start(LabConfig config, Path stateDir) {
        Prerequisites.check();
        Path dir = stateDir.toAbsolutePath().normalize();
        synchronized (Lab.class) {
            if (active != null) {
                throw new LabException("a lab is already running in this JVM (state dir " + active.stateDir + "); close it first");
            }
            awaitOtherLab();
            try (FileChannel ch = lockFile()) {
                // host-wide lock: two JVMs must not take over / set up at the same time
                FileLock lock = ch.lock();
                takeOverFromStaleLab(dir);
                Lab lab = new Lab(dir, config);
                active = lab;
                try {
                    lab.boot();
                } catch (RuntimeException | Error e) {
                    try {
                        lab.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                } finally {
                    lock.release();
                }
                return lab;
            } catch (IOException e) {
                throw new LabException("cannot lock /run/bbr-lab: " + e.getMessage(), e);
            }
        }
    }

    private static FileChannel lockFile() throws IOException {
        Files.createDirectories(LabState.CURRENT.getParent());
        return FileChannel.open(LabState.CURRENT.getParent().resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /**
     * Several engineers share the machine: if another JVM's lab is up, wait for it to go away for
     * up to BBR_LAB_WAIT_SECONDS (env or system property bbr.lab.waitSeconds; default 300, 0 = fail at once).
     */
    private static void awaitOtherLab() {
        String conf = System.getProperty("bbr.lab.waitSeconds", System.getenv().getOrDefault("BBR_LAB_WAIT_SECONDS", "300"));
        long deadline = System.nanoTime() + Long.parseLong(conf.strip()) * 1_000_000_000L;
        var cur = LabState.current();
        boolean told = false;
        while (cur.isPresent() && cur.get().ownerAlive() && System.nanoTime() < deadline) {
            if (!told) {
                LOG.info("another lab is running (pid {}); waiting up to {}s for it to finish", cur.get().ownerPid(), conf);
                told = true;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for another lab");
            }
            cur = LabState.current();
        }
    }

    /** Refuses to fight a live lab; wipes whatever a dead one left behind. */
    private static void takeOverFromStaleLab(Path dir) throws IOException {
        var cur = LabState.current();
        if (cur.isPresent() && cur.get().ownerAlive()) {
            throw new LabException("another lab is running (pid " + cur.get().ownerPid() + ", state dir "
                    + cur.get().stateDir() + "); stop it first (scripts/lab down)");
        }
        if (cur.isPresent()) {
            LOG.info("cleaning up stale lab state in {}", cur.get().stateDir());
            LabState.cleanStale(cur.get().stateDir());
        }
        LabState.cleanStale(Files.exists(dir.resolve(LabState.MARKER)) ? dir : null);
        LabState.prepareDir(dir);
        LabState.claim(dir);
    }

    private void boot() {
        long t0 = System.nanoTime();
        registerShutdownHook();
        try {
            Files.createDirectories(Path.of("/var/vcap"));
            // sshd refuses to start without its privilege separation directory
            Files.createDirectories(Path.of("/run/sshd"));
            Files.writeString(stateDir.resolve("banner"), VmBuilder.BANNER);
        } catch (IOException e) {
            throw new LabException("cannot prepare host directories: " + e.getMessage(), e);
        }
        OsUsers.installSudo();
        LabConfig.Director dc = config.directorOrDefault();
        TlsMaterial tls = TlsMaterial.generate(addr.directorIp(), addr.directorBindIp(), KeyCache.rsaKeyPair("tls-ca"), KeyCache.rsaKeyPair("tls-server"));
        try {
            Files.writeString(caCertPath(), tls.caPem());
        } catch (IOException e) {
            throw new LabException("cannot write CA", e);
        }
        startVms();
        setUpFixedUsers();
        for (LabConfig.Deployment d : config.deploymentList()) {
            List<DirectorInstance> instances = new ArrayList<>();
            for (LabInstance vm : instances(d.name())) {
                instances.add(new DirectorInstance(d.name(), vm.group(), vm.index(), vm.id(), vm.ip(), vm.az(),
                        vm.bootstrap(), UUID.nameUUIDFromBytes(("agent/" + vm.name()).getBytes()).toString(),
                        "vm-" + UUID.nameUUIDFromBytes(("vm/" + vm.name()).getBytes())));
            }
            deployments.put(d.name(), new DirectorDeployment(d.name(), ManifestBuilder.build(d), ManifestBuilder.releases(d), instances));
        }
        TokenIssuer tokens = new TokenIssuer(dc.tokenTtlOr(), Clock.systemUTC());
        faults = new Faults(dc.queuedPollsOr(), dc.processingPollsOr(), tokens::ttlSeconds, tokens::ttlSeconds, this::killSshdByName,
                this::applyNetem);
        settings = new DirectorSettings(dc.nameOr(), dc.uuid() == null ? UUID.randomUUID().toString() : dc.uuid(),
                addr.directorIp(), addr.directorBindIp(), Addresses.DIRECTOR_PORT, dc.uaa(), Addresses.UAA_PORT,
                dc.clientOr(), dc.secretOr());
        requestLog = new RequestLog(stateDir.resolve("requests.log"));
        director = new DirectorServer(settings, requestLog, faults, tokens, () -> deployments,
                new InstanceAgents(byName, vms), new AdminEndpoint(this));
        director.start(tls.serverContext());
        buildEnv();
        writeEnvFile();
        LOG.info("lab up in {} ms: {} VMs, director {}", (System.nanoTime() - t0) / 1_000_000, vms.size(), settings.url());
    }

    private void startVms() {
        List<VmSpec> specs = new ArrayList<>();
        LabConfig.Vm dvm = config.directorVmOrNull();
        if (dvm != null) {
            specs.add(new VmSpec(DIRECTOR_VM, "bosh", 0, addr.directorVmIp(), "z1", true, dvm.jobList()));
        }
        if (config.jumpboxEnabled()) {
            specs.add(new VmSpec(JUMPBOX, "jumpbox", 0, addr.jumpboxIp(), "z1", true, List.of()));
        }
        int ordinal = 0;
        for (LabConfig.Deployment d : config.deploymentList()) {
            for (LabConfig.Group g : d.groups()) {
                for (int i = 0; i < g.instanceCount(); i++) {
                    specs.add(new VmSpec(d.name(), g.name(), i, addr.instanceIp(ordinal++), g.azFor(i),
                            i == g.bootstrapOr(), g.jobList()));
                }
            }
        }
        String netns = null;
        if (addr.privateNet()) {
            try {
                Files.writeString(stateDir.resolve("topology-private"), "private network namespace in use\n");
            } catch (IOException e) {
                throw new LabException("cannot write state", e);
            }
            network = PrivateNetwork.create(stateDir, addr, specs.stream().map(VmSpec::ip).toList());
            netns = network.netnsPath();
        }
        VmBuilder builder = new VmBuilder(stateDir, netns);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, Math.max(1, specs.size())));
        try {
            List<Future<LabInstance>> futures = specs.stream().map(s -> pool.submit(() -> builder.build(s))).toList();
            LabException failure = null;
            for (Future<LabInstance> f : futures) {
                try {
                    LabInstance vm = f.get();
                    vms.add(vm);
                    byName.put(vm.name(), vm);
                } catch (Exception e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    if (failure == null) {
                        failure = new LabException("VM start failed: " + cause.getMessage(), cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The director VM's and jumpbox's fixed users, with key files in the state dir. */
    private void setUpFixedUsers() {
        LabConfig.Vm dvm = config.directorVmOrNull();
        if (dvm != null) {
            directorVmKey = fixedUser(directorVm(), dvm.userOr(), "director-vm");
        }
        if (config.jumpboxEnabled()) {
            jumpboxKey = fixedUser(jumpbox(), JUMPBOX_USER, "jumpbox");
        }
    }

    private String fixedUser(LabInstance vm, String user, String keyName) {
        try {
            Path keys = Files.createDirectories(stateDir.resolve("keys"));
            Path key = keys.resolve(keyName + ".key");
            // PEM (PKCS#1) private keys are readable by every SSH library the CLI might use
            KeyCache.sshKey("client-" + keyName, key, user + "@bbr-lab", true);
            OsUsers.ensureUser(user);
            InstanceAgents.authorize(vm, user, Files.readString(keys.resolve(keyName + ".key.pub")).strip());
            return key.toString();
        } catch (IOException e) {
            throw new LabException("cannot create key for " + user, e);
        }
    }

    private void buildEnv() {
        env.put("BOSH_ENVIRONMENT", settings.url());
        env.put("BOSH_CLIENT", settings.client());
        env.put("BOSH_CLIENT_SECRET", settings.clientSecret());
        env.put("BOSH_CA_CERT", caCertPath().toString());
        env.put("BOSH_DEPLOYMENT", config.deploymentList().isEmpty() ? "" : config.deploymentList().get(0).name());
        LabConfig.Vm dvm = config.directorVmOrNull();
        env.put("LAB_DIRECTOR_VM_HOST", dvm == null ? "" : addr.directorVmIp());
        env.put("LAB_DIRECTOR_VM_USER", dvm == null ? "" : dvm.userOr());
        env.put("LAB_DIRECTOR_VM_KEY", dvm == null ? "" : directorVmKey);
        env.put("LAB_JUMPBOX_PROXY", jumpboxProxyUrl());
        env.put("LAB_STATE_DIR", stateDir.toString());
        env.put("LAB_ADMIN_URL", adminUrl());
        env.put("LAB_TOPOLOGY", addr.privateNet() ? "private" : "loopback");
    }

    private void writeEnvFile() {
        StringBuilder sb = new StringBuilder("# bbr lab environment; source it: . .lab/env\n");
        env.forEach((k, v) -> sb.append("export ").append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
        try {
            Files.writeString(stateDir.resolve("env"), sb.toString());
        } catch (IOException e) {
            throw new LabException("cannot write env file", e);
        }
    }

    private void registerShutdownHook() {
        shutdownHook = new Thread(() -> {
            try {
                close();
            } catch (RuntimeException e) {
                LOG.warn("lab teardown in shutdown hook failed", e);
            }
        }, "bbr-lab-teardown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    // ------------------------------------------------------------------ public API

    /** Same keys as the env file (BOSH_*, LAB_*). */
    public Map<String, String> env() {
        return Collections.unmodifiableMap(env);
    }

    public String directorUrl() {
        return settings.url();
    }

    /**
     * Base URL of the /_lab admin API that is reachable from the host in both topologies (the
     * Director's own listener; in the private topology that is the host end of the veth).
     */
    public String adminUrl() {
        return "https://" + settings.bindIp() + ":" + settings.port() + "/_lab";
    }

    public Path caCertPath() {
        return stateDir.resolve("director-ca.pem");
    }

    public Path stateDir() {
        return stateDir;
    }

    public String client() {
        return settings.client();
    }

    public String clientSecret() {
        return settings.clientSecret();
    }

    /** Requests the CLI made to the Director and UAA, oldest first (admin /_lab calls are not recorded). */
    public List<LabRequest> requests() {
        return requestLog.snapshot();
    }

    public void clearRequests() {
        requestLog.clear();
    }

    public LabInstance instance(String deployment, String group, int index) {
        LabInstance vm = byName.get(deployment + "/" + group + "/" + index);
        if (vm == null) {
            throw new LabException("no instance " + deployment + "/" + group + "/" + index);
        }
        return vm;
    }

    /** Instances of a deployment in lab-file order. */
    public List<LabInstance> instances(String deployment) {
        synchronized (byName) {
            return vms.stream().filter(v -> v.deployment().equals(deployment))
                    .sorted((a, b) -> Integer.compare(ipOrder(a), ipOrder(b))).toList();
        }
    }

    private static int ipOrder(LabInstance vm) {
        return Integer.parseInt(vm.ip().substring(vm.ip().lastIndexOf('.') + 1));
    }

    /** All VMs including the director VM and the jumpbox. */
    public List<LabInstance> allVms() {
        synchronized (vms) {
            return List.copyOf(vms);
        }
    }

    public LabInstance directorVm() {
        LabInstance vm = byName.get(DIRECTOR_VM + "/bosh/0");
        if (vm == null) {
            throw new LabException("this lab file has no director_vm");
        }
        return vm;
    }

    public Path directorVmKey() {
        return Path.of(directorVmKey);
    }

    public LabInstance jumpbox() {
        LabInstance vm = byName.get(JUMPBOX + "/jumpbox/0");
        if (vm == null) {
            throw new LabException("this lab file disables the jumpbox");
        }
        return vm;
    }

    /** ssh+socks5://lab-jumpbox@127.0.0.12:22?private-key=PATH (empty if the jumpbox is disabled). */
    public String jumpboxProxyUrl() {
        return jumpboxKey == null ? "" : "ssh+socks5://" + JUMPBOX_USER + "@" + addr.jumpboxIp() + ":22?private-key=" + jumpboxKey;
    }

    public Faults faults() {
        return faults;
    }

    /**
     * All lock/unlock lines ("&lt;epoch-ns&gt; &lt;group/index&gt; &lt;job&gt; &lt;lock|unlock&gt;") of a
     * deployment's instances (or "director-vm"), merged in time order - for lock-ordering assertions.
     */
    public List<String> lockEvents(String deployment) {
        return mergedLog(deployment, "sys/log/lock-recorder/locks.log");
    }

    /** Every job-script run ("&lt;epoch-ns&gt; &lt;group/index&gt; &lt;job&gt; &lt;script&gt; user=... BBR_...=...") in time order. */
    public List<String> scriptCalls(String deployment) {
        return mergedLog(deployment, "sys/log/lab/calls.log");
    }

    private List<String> mergedLog(String deployment, String relative) {
        List<String> lines = new ArrayList<>();
        for (LabInstance vm : allVms()) {
            Path f = vm.varVcap().resolve(relative);
            if (vm.deployment().equals(deployment) && Files.exists(f)) {
                try {
                    lines.addAll(Files.readAllLines(f));
                } catch (IOException e) {
                    throw new LabException("cannot read " + f, e);
                }
            }
        }
        lines.sort((a, b) -> Long.compare(leadingNumber(a), leadingNumber(b)));
        return lines;
    }

    private static long leadingNumber(String line) {
        int sp = line.indexOf(' ');
        try {
            return Long.parseLong(sp < 0 ? line : line.substring(0, sp));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** bosh_* OS users that currently exist (created by the ssh setup task). */
    public List<String> boshUsers() {
        return OsUsers.labUsers().stream().filter(u -> u.startsWith("bosh_")).toList();
    }

    void applyNetem(String spec) {
        if (network == null) {
            throw new UnsupportedOperationException("netem is unsupported on the loopback topology "
                    + "(use a lab file with `topology: private`); requested: " + spec);
        }
        network.netem(spec);
    }

    void killSshdByName(String name) {
        String key = switch (name) {
            case DIRECTOR_VM -> DIRECTOR_VM + "/bosh/0";
            case JUMPBOX -> JUMPBOX + "/jumpbox/0";
            default -> name;
        };
        LabInstance vm = byName.get(key);
        if (vm == null) {
            throw new LabException("no VM named " + name);
        }
        vm.killSshd();
    }

    /** Full teardown; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            if (director != null) {
                director.close();
            }
            synchronized (vms) {
                for (LabInstance vm : vms) {
                    vm.namespace().destroy();
                }
            }
            if (network != null) {
                network.close();
            }
            // also catches VMs whose build failed half-way (recorded before sshd started)
            LabState.cleanStale(stateDir);
        } finally {
            LabState.release();
            synchronized (Lab.class) {
                if (active == this) {
                    active = null;
                }
            }
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // JVM already shutting down
                }
            }
        }
        LOG.info("lab down in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
