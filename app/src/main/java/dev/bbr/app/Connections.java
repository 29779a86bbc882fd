package dev.bbr.app;

import dev.bbr.app.wiring.ConnectionWarmup;
import dev.bbr.app.wiring.DirectorApiAccessFactory;
import dev.bbr.app.wiring.DirectorVmAccessFactory;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.log.Log;
import dev.bbr.director.CaCert;
import dev.bbr.director.DirectorClient;
import dev.bbr.director.DirectorException;
import dev.bbr.director.DirectorTarget;
import dev.bbr.director.ProxyRoute;
import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.SshTransport;
import dev.bbr.ssh.proxy.AllProxy;

/**
 * The network side of one run: the {@code BOSH_ALL_PROXY} route (one jumpbox connection for the
 * whole run when it is {@code ssh+socks5://}), Director clients built the way bbr builds them, and
 * the access factories that reach the instances. Closing it closes the jumpbox connection.
 */
final class Connections implements AutoCloseable {
    private final Environment environment;
    private final Log log;
    private AllProxy proxy;

    Connections(Environment environment, Log log) {
        this.environment = environment;
        this.log = log;
    }

    synchronized AllProxy proxy() throws DiscoveryException {
        if (proxy == null) {
            try {
                proxy = AllProxy.fromEnvironment(environment.variables(),
                        HostKeyCheck.knownHostsOrTrustOnFirstUse(environment.knownHosts(), log::info));
            } catch (RuntimeException e) {
                throw new DiscoveryException(e.getMessage(), e);
            }
        }
        return proxy;
    }

    /** A Director client the way bbr builds one: CA, URL, then an anonymous {@code GET /info}. */
    DirectorClient director(DirectorLogin login) throws DiscoveryException {
        try {
            CaCert ca = CaCert.parse(login.caCert());
            DirectorTarget target = DirectorTarget.parse(login.url());
            AllProxy route = proxy();
            Log http = log.tagged("httpClient");
            return DirectorClient.builder().target(target).caCert(ca)
                    .credentials(login.client(), login.clientSecret())
                    .proxyRoute(ProxyRoute.of(route::httpProxyFor, route.tunnelSocketFactory()))
                    .debug(environment.debug()).debugSink(http::debug).build();
        } catch (DirectorException e) {
            throw new DiscoveryException(e.getMessage(), e);
        }
    }

    /**
     * How this run reaches the target's instances. Building a Director client is part of opening
     * access (as in bbr, its failures are the run's first error), so nothing is contacted here.
     */
    DeploymentAccessFactory access(Target target, int maxInFlight) {
        return runLog -> open(target, maxInFlight).open(runLog);
    }

    /** As {@link #access}, for the cleanup commands: they also remove users that killed runs left behind. */
    DeploymentAccessFactory cleanupAccess(Target target, int maxInFlight) {
        return runLog -> {
            DeploymentAccessFactory factory = open(target, maxInFlight);
            return (factory instanceof DirectorApiAccessFactory api ? api.sweepingStaleUsers() : factory).open(runLog);
        };
    }

    /** As {@link #access}, with a Director client the caller already has (one shared client). */
    DeploymentAccessFactory access(Target.Deployment target, DirectorClient director, int maxInFlight) {
        return runLog -> new DirectorApiAccessFactory(director, target.deployment(), SshTransport.create(proxy()),
                maxInFlight, environment.workers()).open(runLog);
    }

    private DeploymentAccessFactory open(Target target, int maxInFlight) throws DiscoveryException {
        SshTransport transport = SshTransport.create(proxy());
        if (target instanceof Target.DirectorVm vm) {
            return new DirectorVmAccessFactory(vm.host(), vm.user(),
                    environment.workingDirectory().resolve(vm.privateKeyPath()), environment.knownHosts(), transport);
        }
        Target.Deployment deployment = (Target.Deployment) target;
        // before the Director client: its TLS set-up and /info run meanwhile on this thread
        ConnectionWarmup warmup = ConnectionWarmup.start(environment.workers());
        return new DirectorApiAccessFactory(director(deployment.director()), deployment.deployment(), transport,
                maxInFlight, environment.workers(), warmup);
    }

    @Override
    public synchronized void close() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
