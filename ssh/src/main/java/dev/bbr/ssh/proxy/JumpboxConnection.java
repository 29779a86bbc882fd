package dev.bbr.ssh.proxy;

import dev.bbr.ssh.HostAndPort;
import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.SshClients;
import dev.bbr.ssh.SshException;
import dev.bbr.ssh.SshKey;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single SSH connection to the BOSH_ALL_PROXY jumpbox, opened on the first dial and shared by
 * every tunnelled connection (bbr#21: one connection per dial tripped sshd MaxStartups).
 * If it dies it is re-established on the next dial (bbr never does; that left runs stuck).
 */
final class JumpboxConnection implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(JumpboxConnection.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration KEEPALIVE = Duration.ofSeconds(30);

    private final HostAndPort address;
    private final String user;
    private final SshKey key;
    private final HostKeyCheck hostKeyCheck;

    private SSHClient client; // guarded by this
    private boolean closed;   // guarded by this

    JumpboxConnection(HostAndPort address, String user, SshKey key, HostKeyCheck hostKeyCheck) {
        this.address = address;
        this.user = user;
        this.key = key;
        this.hostKeyCheck = hostKeyCheck;
    }

    /** Opens a direct-tcpip channel to host:port; the jumpbox resolves the name. */
    DirectConnection open(String host, int port) throws SshException {
        SSHClient c = client();
        try {
            return c.newDirectConnection(host, port);
        } catch (IOException | RuntimeException e) {
            throw new SshException("Dialing " + new HostAndPort(host, port) + " through SOCKS5 proxy "
                    + address + ": " + SshException.describe(e), e);
        }
    }

    synchronized SSHClient client() throws SshException {
        if (closed) {
            throw new SshException("SOCKS5 proxy connection to " + address + " is closed");
        }
        if (client != null && client.isConnected() && client.isAuthenticated()) {
            return client;
        }
        if (client != null) {
            log.warn("Connection to SOCKS5 proxy {} was lost; reconnecting", address);
            SshClients.closeQuietly(client);
            client = null;
        }
        client = connect();
        return client;
    }

    private SSHClient connect() throws SshException {
        HostKeyCheck.Verifier verifier = hostKeyCheck.newVerifier();
        SSHClient c = SshClients.newClient(hostKeyCheck, verifier, key, CONNECT_TIMEOUT, KEEPALIVE, false);
        try {
            c.connect(address.host(), address.port());
            SshClients.authenticate(c, user, key);
            log.debug("Connected to SOCKS5 proxy {} as {}", address, user);
            return c;
        } catch (IOException | RuntimeException e) {
            SshClients.closeQuietly(c);
            throw SshClients.failure("Creating SOCKS5 dialer: ", e, verifier);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            SshClients.closeQuietly(client);
            client = null;
        }
    }

    @Override
    public String toString() {
        return user + "@" + address;
    }
}
