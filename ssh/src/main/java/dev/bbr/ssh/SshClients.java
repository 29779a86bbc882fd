package dev.bbr.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import com.hierynomus.sshj.key.KeyAlgorithm;

/**
 * Builds sshj clients the same way for instances and the jumpbox: shared fast config, window and
 * packet size as measured fastest (docs/performance.md), keepalive armed before connect, host key check installed.
 * Public only because the proxy package needs it; not part of the supported API.
 */
public final class SshClients {

    /** 2 MiB window (bigger was slower on loopback) and 64 KiB packets measured best. */
    static final long WINDOW_SIZE = 2L * 1024 * 1024;
    static final int MAX_PACKET_SIZE = 64 * 1024;

    private SshClients() {
    }

    /**
     * An unconnected client. {@code remoteDns} keeps host names unresolved so a SOCKS proxy
     * resolves them (sshj otherwise resolves locally via new InetSocketAddress(host, port)).
     */
    public static SSHClient newClient(HostKeyCheck check, HostKeyCheck.Verifier verifier, SshKey key,
                                      Duration connectTimeout, Duration keepAlive, boolean remoteDns) {
        Config config = configFor(check, key);
        SSHClient client = remoteDns ? new RemoteDnsSshClient(config) : new SSHClient(config);
        client.getConnection().setWindowSize(WINDOW_SIZE);
        client.getConnection().setMaxPacketSize(MAX_PACKET_SIZE);
        // SSHClient.onConnect() only starts the keepalive thread if the interval is already > 0.
        client.getConnection().getKeepAlive().setKeepAliveInterval((int) Math.max(0, keepAlive.toSeconds()));
        client.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        client.addHostKeyVerifier(verifier);
        return client;
    }

    /** Public-key authentication only, like bbr. */
    public static void authenticate(SSHClient client, String user, SshKey key) throws IOException {
        client.authPublickey(user, key.sshjKeyProvider());
    }

    /** Turns a dial/handshake failure into an SshException, preferring the host key check's reason. */
    public static SshException failure(String prefix, Exception e, HostKeyCheck.Verifier verifier) {
        String reason = verifier.rejection().orElseGet(() -> describeChain(e));
        return new SshException(prefix + reason, e);
    }

    /** Quietly closes a client after a failed connect. */
    public static void closeQuietly(SSHClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing useful to do; the original failure is what gets reported
        }
    }

    static String describeChain(Throwable e) {
        StringBuilder b = new StringBuilder(SshException.describe(e));
        Throwable c = e.getCause();
        int depth = 0;
        while (c != null && c != e && depth++ < 3) {
            String m = SshException.describe(c);
            if (!b.toString().contains(m)) {
                b.append(": ").append(m);
            }
            e = c;
            c = c.getCause();
        }
        return b.toString();
    }

    /**
     * Restricting host key algorithms means restricting Config.getKeyAlgorithms(), which sshj also
     * uses to pick client signature algorithms; so the client key's algorithms stay in the list.
     */
    private static Config configFor(HostKeyCheck check, SshKey key) {
        Config shared = SshjConfig.shared();
        List<String> allowed = check.allowedHostKeyAlgorithms();
        if (allowed.isEmpty()) {
            return shared;
        }
        Set<String> names = new LinkedHashSet<>(allowed);
        names.addAll(PublicKeys.hostKeyAlgorithms(key.keyType()));
        List<Factory.Named<KeyAlgorithm>> filtered = new ArrayList<>();
        for (String name : names) {
            for (Factory.Named<KeyAlgorithm> f : shared.getKeyAlgorithms()) {
                if (f.getName().equals(name)) {
                    filtered.add(f);
                }
            }
        }
        if (filtered.isEmpty()) {
            throw new IllegalStateException("no supported host key algorithm among " + allowed + "; sshj offers "
                    + shared.getKeyAlgorithms().stream().map(Factory.Named::getName).collect(Collectors.joining(",")));
        }
        return new KeyAlgorithmsOverrideConfig(shared, filtered);
    }

    /** Leaves host names unresolved for the SOCKS proxy (so names the proxy can resolve work, as with Go's SOCKS dialer). */
    private static final class RemoteDnsSshClient extends SSHClient {
        RemoteDnsSshClient(Config config) {
            super(config);
        }

        @Override
        protected InetSocketAddress makeInetSocketAddress(String hostname, int port) {
            return InetSocketAddress.createUnresolved(hostname, port);
        }
    }
}
