package dev.bbr.cli.ops;

import dev.bbr.cli.BbrVersion;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.cli.output.BbrLog;
import dev.bbr.cli.output.LiveRegion;
import dev.bbr.cli.output.PausableOutput;
import dev.bbr.cli.output.TerminalProgressReporter;
import dev.bbr.cli.wiring.DirectorApiAccessFactory;
import dev.bbr.cli.wiring.DirectorVmAccessFactory;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.director.CaCert;
import dev.bbr.director.DirectorClient;
import dev.bbr.director.DirectorException;
import dev.bbr.director.DirectorTarget;
import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.SshTransport;
import dev.bbr.ssh.proxy.AllProxy;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything one operation needs, built from the command line: the log, the proxy route, the
 * Director client (deployment mode) and how to reach the instances.
 */
final class RunContext implements AutoCloseable {
    final Invocation invocation;
    final Console console;
    final PausableOutput output;
    final BbrLog log;
    final int maxInFlight;
    /** Set by the signal guard; shared by every workflow of this run. */
    final Cancellation cancellation = new Cancellation();
    private AllProxy proxy;

    RunContext(Invocation invocation, Console console) {
        this.invocation = invocation;
        this.console = console;
        boolean debug = invocation.familyFlags().bool(BbrCommands.DEBUG);
        // live bars for a person at a terminal; bbr's percentage lines under nohup, in pipelines, with --debug
        this.output = TerminalProgressReporter.interactive() && !debug
                ? new PausableOutput(console.out(), new LiveRegion(console.out()))
                : new PausableOutput(console.out());
        this.log = new BbrLog("bbr", debug, output, Clock.systemDefaultZone());
        this.maxInFlight = invocation.leafDef().flags().contains(BbrCommands.MAX_IN_FLIGHT)
                ? invocation.leafFlags().positiveInt(BbrCommands.MAX_IN_FLIGHT) : BbrCommands.DEFAULT_MAX_IN_FLIGHT;
    }

    String version() {
        return BbrVersion.get();
    }

    boolean directorMode() {
        return invocation.isDirector();
    }

    /** The deployment name, or for director mode the host without scheme and port. */
    String targetName() {
        return directorMode() ? DirectorVmAccessFactory.nameOf(invocation.familyFlags().string(BbrCommands.HOST))
                : invocation.familyFlags().string(BbrCommands.DEPLOYMENT);
    }

    Path knownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    AllProxy proxy() throws DiscoveryException {
        if (proxy == null) {
            try {
                proxy = AllProxy.fromEnvironment(console.env(),
                        HostKeyCheck.knownHostsOrTrustOnFirstUse(knownHosts(), log::info));
            } catch (RuntimeException e) {
                throw new DiscoveryException(e.getMessage(), e);
            }
        }
        return proxy;
    }

    /** Builds the Director client the way bbr does: CA, URL, then an anonymous GET /info. */
    DirectorClient director() throws DiscoveryException {
        try {
            CaCert ca = CaCert.parse(invocation.familyFlags().string(BbrCommands.CA_CERT));
            DirectorTarget target = DirectorTarget.parse(invocation.familyFlags().string(BbrCommands.TARGET));
            BbrLog http = log.tagged("httpClient");
            return DirectorClient.builder().target(target).caCert(ca)
                    .credentials(invocation.familyFlags().string(BbrCommands.USERNAME),
                            invocation.familyFlags().string(BbrCommands.PASSWORD))
                    .allProxy(proxy()).debug(log.isDebug()).debugSink(http::debug).build();
        } catch (DirectorException e) {
            throw new DiscoveryException(e.getMessage(), e);
        }
    }

    DeploymentAccessFactory accessFactory() throws DiscoveryException {
        SshTransport transport = SshTransport.create(proxy());
        if (directorMode()) {
            return new DirectorVmAccessFactory(invocation.familyFlags().string(BbrCommands.HOST),
                    invocation.familyFlags().string(BbrCommands.DIRECTOR_USERNAME),
                    console.path(invocation.familyFlags().string(BbrCommands.PRIVATE_KEY_PATH)), knownHosts(), transport);
        }
        return new DirectorApiAccessFactory(director(), targetName(), transport, maxInFlight);
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
