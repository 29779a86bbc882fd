package dev.bbr.app.wiring;

import dev.bbr.core.discovery.DeploymentAccess;
import dev.bbr.core.discovery.DeploymentAccessFactory;
import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.discovery.HostInfo;
import dev.bbr.core.discovery.ManifestInfo;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.log.Log;
import dev.bbr.ssh.ConnectionSpec;
import dev.bbr.ssh.HostAndPort;
import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.InstanceConnection;
import dev.bbr.ssh.SshException;
import dev.bbr.ssh.SshKey;
import dev.bbr.ssh.SshTransport;
import java.nio.file.Path;
import java.util.List;

/**
 * Director mode: one SSH connection straight to the Director VM with the operator's key. The VM is
 * modelled as instance {@code bosh/0}. Unlike bbr, the host key is checked against
 * {@code ~/.ssh/known_hosts} when the host is listed there, and trusted on first use otherwise.
 */
public final class DirectorVmAccessFactory implements DeploymentAccessFactory {
    private final String hostArgument;
    private final String user;
    private final Path privateKey;
    private final Path knownHosts;
    private final SshTransport transport;

    public DirectorVmAccessFactory(String hostArgument, String user, Path privateKey, Path knownHosts,
            SshTransport transport) {
        this.hostArgument = hostArgument;
        this.user = user;
        this.privateKey = privateKey;
        this.knownHosts = knownHosts;
        this.transport = transport;
    }

    /** The host without scheme and port: the "deployment" name in messages and the backup directory. */
    public static String nameOf(String hostArgument) {
        String host = hostArgument.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        return HostAndPort.parse(host, 22).host();
    }

    @Override
    public DeploymentAccess open(Log log) throws DiscoveryException {
        SshKey key;
        try {
            key = SshKey.fromPemFile(privateKey);
        } catch (SshException e) {
            throw new DiscoveryException(e.getMessage(), e);
        }
        HostAndPort address = HostAndPort.parse(hostArgument.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", ""), 22);
        InstanceConnection connection;
        try {
            connection = transport.connect(ConnectionSpec.of(address.host(), address.port(), user, key,
                    HostKeyCheck.knownHostsOrTrustOnFirstUse(knownHosts, log::info)));
        } catch (SshException e) {
            throw new DiscoveryException(e.getMessage(), e);
        }
        String name = address.host();
        HostInfo vm = new HostInfo("bosh", "0", "0", false, new SshRemoteShell(connection));
        return new DeploymentAccess() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<HostInfo> hosts() {
                return List.of(vm);
            }

            @Override
            public ManifestInfo manifest() {
                return ManifestInfo.NONE;
            }

            @Override
            public boolean directorMode() {
                return true;
            }

            @Override
            public String downloadManifest() throws DiscoveryException {
                throw new DiscoveryException("director mode has no manifest");
            }

            @Override
            public List<BbrError> cleanup() {
                connection.close();
                return List.of();
            }
        };
    }
}
