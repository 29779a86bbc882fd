package dev.bbr.app.wiring;

import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.discovery.HostInfo;
import dev.bbr.core.discovery.ManifestInfo;
import dev.bbr.core.discovery.ManifestQuerier;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import dev.bbr.director.DirectorClient;
import dev.bbr.director.DirectorException;
import dev.bbr.director.SshHost;
import dev.bbr.director.VmInfo;
import dev.bbr.ssh.ConnectionSpec;
import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.InstanceConnection;
import dev.bbr.ssh.SshException;
import dev.bbr.ssh.SshKey;
import dev.bbr.ssh.SshTransport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

/**
 * Deployment mode: instances come from the Director ({@code vms?format=full}), a temporary user
 * with a fresh in-memory Ed25519 key is set up per instance group ({@code ssh setup}), and each
 * instance gets one SSH connection pinned to the host key the Director reported.
 */
public final class DirectorApiAccessFactory implements DeploymentAccessFactory {
    /**
     * bbr for Java's temporary users are {@code bosh_bbr} + 12 hex digits (20 characters, as bbr's
     * {@code bosh_} + 15), so that a cleanup command can recognise the users of runs that were killed
     * ({@code kill -9}, a lost jumpbox) and remove them, without touching an operator's {@code bosh ssh}.
     */
    static final String USER_PREFIX = "bosh_bbr";
    static final String ANY_RUN_USER = "^" + USER_PREFIX + "[0-9a-f]{12}$";

    private final DirectorClient director;
    private final String deployment;
    private final SshTransport transport;
    private final int maxParallelConnects;
    private final Workers workers;
    private final ConnectionWarmup warmup;
    private boolean sweepStaleUsers;

    public DirectorApiAccessFactory(DirectorClient director, String deployment, SshTransport transport,
            int maxParallelConnects, Workers workers) {
        this(director, deployment, transport, maxParallelConnects, workers, null);
    }

    /** @param warmup started before the Director client was built (null: started here) */
    public DirectorApiAccessFactory(DirectorClient director, String deployment, SshTransport transport,
            int maxParallelConnects, Workers workers, ConnectionWarmup warmup) {
        this.warmup = warmup;
        this.director = director;
        this.deployment = deployment;
        this.transport = transport;
        this.maxParallelConnects = maxParallelConnects;
        this.workers = workers;
    }

    /**
     * For {@code backup-cleanup} and {@code restore-cleanup}: at the end, remove every temporary user
     * of bbr for Java, not only this run's, so that users left by a killed run go too (issue 11, K01-K08).
     */
    public DirectorApiAccessFactory sweepingStaleUsers() {
        this.sweepStaleUsers = true;
        return this;
    }

    @Override
    public DeploymentAccess open(Log log) throws DiscoveryException {
        log.debug("Finding VMs...");
        // made beside the Director round trips; Ed25519 (not bbr's RSA-2048, 0.3-0.7 s of CPU) so
        // that it is ready long before the first ssh setup needs it
        ConnectionWarmup ready = warmup != null ? warmup : ConnectionWarmup.start(workers);
        List<VmInfo> vms;
        ManifestInfo manifest;
        try {
            vms = director.vms(deployment);
        } catch (DirectorException e) {
            throw new DiscoveryException("failed to find instances for deployment " + deployment
                    + ": couldn't get vm infos: " + e.getMessage(), e);
        }
        try {
            manifest = ManifestQuerier.parse(deployment, director.manifest(deployment));
        } catch (DirectorException e) {
            throw new DiscoveryException("failed to find instances for deployment " + deployment
                    + ": couldn't find manifest for deployment " + deployment + ": " + e.getMessage(), e);
        }
        SshKey key = ready.key();
        String user = USER_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        log.debug("SSH user generated: " + user);
        Opened opened = new Opened(user);
        try {
            List<PendingHost> pending = setUp(vms, key, user, opened, log);
            opened.hosts.addAll(connectAll(pending, key, user, log));
            return opened.access(manifest);
        } catch (DiscoveryException | RuntimeException e) {
            opened.cleanup();
            throw e;
        }
    }

    private List<PendingHost> setUp(List<VmInfo> vms, SshKey key, String user, Opened opened, Log log)
            throws DiscoveryException {
        Set<String> groups = new LinkedHashSet<>();
        vms.forEach(vm -> groups.add(vm.jobName()));
        List<PendingHost> pending = new ArrayList<>();
        for (String group : groups) {
            log.debug("Setting up SSH for job " + group);
            List<SshHost> hosts;
            try {
                opened.groupsSetUp.add(group);
                hosts = director.sshSetup(deployment, group, user, key.authorizedKeysLine());
            } catch (DirectorException e) {
                throw new DiscoveryException("failed to find instances for deployment " + deployment
                        + ": failed to set up ssh: " + e.getMessage(), e);
            }
            for (SshHost host : hosts) {
                VmInfo vm = vms.stream().filter(v -> host.id().equals(v.id())).findFirst().orElseThrow(() ->
                        new DiscoveryException("failed to find instances for deployment " + deployment
                                + ": couldn't find instance index: vmInfo does not contain given vmID " + host.id()));
                if (vm.index() == null) {
                    throw new DiscoveryException("failed to find instances for deployment " + deployment
                            + ": couldn't find instance index: vmInfo index is nil, given vmID " + host.id());
                }
                boolean bootstrap = vms.stream().anyMatch(v -> v.jobName().equals(group) && v.bootstrap()
                        && v.ips().contains(host.ip()));
                pending.add(new PendingHost(group, Integer.toString(vm.index()), host.id(), bootstrap, host));
            }
        }
        return pending;
    }

    /** Connects to every instance at once (bounded): 50 instances should not mean 50 serial handshakes. */
    private List<HostInfo> connectAll(List<PendingHost> pending, SshKey key, String user, Log log)
            throws DiscoveryException {
        Semaphore inFlight = new Semaphore(Math.max(1, maxParallelConnects));
        List<CompletableFuture<HostInfo>> futures = new ArrayList<>();
        for (PendingHost host : pending) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                inFlight.acquireUninterruptibly();
                try {
                    return connect(host, key, user, log);
                } finally {
                    inFlight.release();
                }
            }, workers.executor()));
        }
        List<HostInfo> connected = new ArrayList<>();
        DiscoveryException failure = null;
        for (CompletableFuture<HostInfo> future : futures) {
            try {
                connected.add(future.join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof DiscoveryException d ? d
                            : new DiscoveryException(String.valueOf(e.getCause()), e.getCause());
                }
            }
        }
        if (failure != null) {
            connected.forEach(h -> h.shell().close());
            throw failure;
        }
        return connected;
    }

    private HostInfo connect(PendingHost host, SshKey key, String user, Log log) {
        log.debug("Attempting to SSH onto " + host.ssh.ip() + ", " + host.id);
        try {
            HostKeyCheck pinned = HostKeyCheck.pinned(host.ssh.hostPublicKey());
            InstanceConnection connection = transport.connect(ConnectionSpec.of(host.ssh.ip(), 22, user, key, pinned));
            return new HostInfo(host.group, host.index, host.id, host.bootstrap, new SshRemoteShell(connection));
        } catch (SshException | IllegalArgumentException e) {
            throw new CompletionException(new DiscoveryException("failed to find instances for deployment "
                    + deployment + ": failed to connect using ssh: " + host.group + "/" + host.id + " ("
                    + host.ssh.ip() + "): " + e.getMessage(), e));
        }
    }

    /**
     * Closes every connection at once: an sshj disconnect waits for its reader thread, and one
     * after the other that added up to a second for 50 instances. All are closed before the
     * Director removes the temporary user (a user with sessions left may not be removable).
     */
    private void closeAll(List<HostInfo> hosts) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (HostInfo host : hosts) {
            closing.add(CompletableFuture.runAsync(() -> host.shell().close(), workers.executor()));
        }
        for (CompletableFuture<Void> close : closing) {
            try {
                close.join();
            } catch (CompletionException e) {
                // a connection that fails to close is gone either way; the user cleanup follows
            }
        }
    }

    private record PendingHost(String group, String index, String id, boolean bootstrap, SshHost ssh) {}

    /** What has been created so far, so that a failure part way still cleans up. */
    private final class Opened {
        final String user;
        final List<String> groupsSetUp = new ArrayList<>();
        final List<HostInfo> hosts = Collections.synchronizedList(new ArrayList<>());
        private boolean cleanedUp;

        Opened(String user) {
            this.user = user;
        }

        DeploymentAccess access(ManifestInfo manifest) {
            return new DeploymentAccess() {
                @Override
                public String name() {
                    return deployment;
                }

                @Override
                public List<HostInfo> hosts() {
                    return List.copyOf(hosts);
                }

                @Override
                public ManifestInfo manifest() {
                    return manifest;
                }

                @Override
                public boolean directorMode() {
                    return false;
                }

                @Override
                public String downloadManifest() throws DiscoveryException {
                    try {
                        return director.manifest(deployment);
                    } catch (DirectorException e) {
                        throw new DiscoveryException("failed to get manifest for deployment " + deployment + ": "
                                + e.getMessage(), e);
                    }
                }

                @Override
                public List<BbrError> cleanup() {
                    return Opened.this.cleanup();
                }
            };
        }

        /**
         * Closes connections, then removes the temporary user from every group it was set up on,
         * including instances that had no scripts (bbr left those behind).
         */
        synchronized List<BbrError> cleanup() {
            if (cleanedUp) {
                return List.of();
            }
            cleanedUp = true;
            closeAll(hosts);
            Map<String, List<String>> idsByGroup = new LinkedHashMap<>();
            groupsSetUp.forEach(g -> idsByGroup.put(g, List.of()));
            List<BbrError> errors = new ArrayList<>();
            for (Map.Entry<String, List<String>> group : idsByGroup.entrySet()) {
                try {
                    director.sshCleanup(deployment, group.getKey(), group.getValue(),
                            sweepStaleUsers ? ANY_RUN_USER : "^" + user);
                } catch (DirectorException e) {
                    errors.add(BbrError.of(ErrorKind.CLEANUP, "failed to cleanup ssh: " + e.getMessage(), e));
                }
            }
            return errors;
        }
    }
}
