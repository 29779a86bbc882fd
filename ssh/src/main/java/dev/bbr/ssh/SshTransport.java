package dev.bbr.ssh;

import dev.bbr.ssh.proxy.AllProxy;
import java.io.IOException;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.util.Objects;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;

/**
 * Opens instance connections directly, through a SOCKS5 proxy, or through the ssh+socks5 jumpbox,
 * as BOSH_ALL_PROXY dictates. Thread-safe; connect several instances in parallel.
 */
public final class SshTransport {

    private final AllProxy proxy;

    private SshTransport(AllProxy proxy) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
    }

    public static SshTransport create(AllProxy proxy) {
        return new SshTransport(proxy);
    }

    /** Dials, verifies the host key and authenticates. One TCP connection + handshake per call. */
    public InstanceConnection connect(ConnectionSpec spec) throws SshException {
        SshjConfig.shared();
        HostKeyCheck.Verifier verifier = spec.hostKeyCheck().newVerifier();
        boolean tunnel = proxy.isSshTunnel();
        Proxy socks = tunnel ? Proxy.NO_PROXY : proxy.httpProxyFor(spec.host());
        SSHClient client = SshClients.newClient(spec.hostKeyCheck(), verifier, spec.key(),
                spec.connectTimeout(), spec.keepAliveInterval(), socks.type() == Proxy.Type.SOCKS);
        DirectConnection channel = null;
        HandshakeWatchdog watchdog = HandshakeWatchdog.arm(client, spec.connectTimeout());
        try {
            if (tunnel) {
                channel = proxy.openTunnel(spec.host(), spec.port());
                watchdog.alsoClose(channel);
                client.connectVia(channel);
            } else {
                client.setSocketFactory(new TcpNoDelaySocketFactory(socks));
                client.connect(spec.host(), spec.port());
            }
            SshClients.authenticate(client, spec.user(), spec.key());
            if (!watchdog.disarm()) {
                throw new IOException("the handshake watchdog closed the connection");
            }
            return new InstanceConnection(client, channel, spec.address());
        } catch (SshException e) {
            watchdog.disarm();
            SshClients.closeQuietly(client);
            throw new SshException("ssh.Dial failed: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            watchdog.disarm();
            SshClients.closeQuietly(client);
            closeQuietly(channel);
            if (watchdog.fired()) {
                // sshj reads the server's banner without a timeout: a port that accepts and never
                // speaks SSH would otherwise hold the whole run forever (issue 11, fault F11)
                throw new SshException("ssh.Dial failed: " + spec.address() + ": no SSH handshake within "
                        + spec.connectTimeout().toSeconds() + " s (the port accepts connections but does not speak"
                        + " SSH)", e);
            }
            UnknownHostException unknown = unknownHost(e);
            if (unknown != null) {
                // the resolver's verdict, worded as Go bbr reports it
                throw new SshException("ssh.Dial failed: dial tcp: lookup " + spec.host() + ": "
                        + resolverReason(unknown), e);
            }
            throw SshClients.failure("ssh.Dial failed: " + spec.address() + ": ", e, verifier);
        }
    }

    private static UnknownHostException unknownHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException u) {
                return u;
            }
        }
        return null;
    }

    /**
     * What the resolver said: glibc's "Name or service not known" is Go's "no such host"; anything
     * else (a DNS server that does not answer, say) is passed on as the resolver worded it.
     */
    static String resolverReason(UnknownHostException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int colon = message.indexOf(": ");
        String reason = colon < 0 ? "" : message.substring(colon + 2).strip();
        return reason.isEmpty() || reason.equalsIgnoreCase("Name or service not known")
                ? "no such host" : reason;
    }

    private static void closeQuietly(DirectConnection c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException ignored) {
                // already failing; the dial error is what matters
            }
        }
    }

    @Override
    public String toString() {
        return "SshTransport[" + proxy + "]";
    }
}
