package dev.bbr.store.sftp;

import dev.bbr.artifacts.store.StoreException;
import dev.bbr.ssh.HostKeyCheck;
import dev.bbr.ssh.SshClients;
import dev.bbr.ssh.SshKey;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * One SSH connection with an SFTP channel to the store's server, reopened after it breaks: every
 * connection has a generation, so callers holding a handle of a dead connection know to reopen theirs.
 */
final class SftpSession implements AutoCloseable {
    /** A connected SFTP client and its connection's generation. */
    record Handle(SFTPClient sftp, int generation) {
    }

    /** An SFTP request. */
    @FunctionalInterface
    interface Call<T> {
        T run(SFTPClient sftp) throws IOException;
    }

    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
    private final SftpLocation location;
    private final SshKey key;
    private final String keySource;
    private final HostKeyCheck hostKeys;
    private SSHClient ssh;
    private SFTPClient sftp;
    private int generation;

    SftpSession(SftpLocation location, SshKey key, String keySource, HostKeyCheck hostKeys) {
        this.location = location;
        this.key = key;
        this.keySource = keySource;
        this.hostKeys = hostKeys;
    }

    synchronized Handle current() throws IOException {
        if (sftp == null || !ssh.isConnected()) {
            connect();
        }
        return new Handle(sftp, generation);
    }

    /** Drops the connection of {@code failedGeneration} (if still current); the next call reconnects. */
    synchronized void reset(int failedGeneration) {
        if (failedGeneration == generation && ssh != null) {
            disconnect();
        }
    }

    /** Runs a request, once more on a fresh connection if the connection broke under it. */
    <T> T call(Call<T> call) throws IOException {
        Handle h = current();
        try {
            return call.run(h.sftp());
        } catch (IOException e) {
            if (!isConnectionFailure(e)) {
                throw e;
            }
            reset(h.generation());
            return call.run(current().sftp());
        }
    }

    private void connect() throws IOException {
        disconnect();
        HostKeyCheck.Verifier verifier = hostKeys.newVerifier();
        SSHClient client = SshClients.newClient(hostKeys, verifier, key, Duration.ofSeconds(15), Duration.ofSeconds(30),
                false);
        // a read timeout well above the 30 s keepalive: a server that accepts but never speaks (a hung
        // sshd, a dead proxy) fails the connect instead of blocking it forever
        client.setTimeout((int) READ_TIMEOUT.toMillis());
        try {
            client.connect(location.host(), location.port());
        } catch (IOException e) {
            SshClients.closeQuietly(client);
            if (verifier.rejection().isPresent()) {
                throw new StoreException(StoreException.Reason.READ_FAILED, location + ": "
                        + verifier.rejection().get());
            }
            Throwable root = root(e);
            if (root instanceof UnknownHostException) {
                throw new StoreException(StoreException.Reason.READ_FAILED, location + ": cannot resolve "
                        + location.host() + ": check the host name");
            }
            throw new IOException(location + ": cannot reach " + location.address() + " (" + oneLine(root)
                    + "): check the host, the port and the network", e);
        }
        try {
            SshClients.authenticate(client, location.user(), key);
        } catch (UserAuthException e) {
            SshClients.closeQuietly(client);
            throw new StoreException(StoreException.Reason.READ_FAILED, location + ": authentication as "
                    + location.user() + " with the key from " + keySource + " (" + key.fingerprint() + ") failed:"
                    + " check that key and the user's authorized_keys");
        } catch (IOException e) {
            SshClients.closeQuietly(client);
            throw new IOException(location + ": authentication failed: " + oneLine(e), e);
        }
        try {
            SFTPClient c = client.newSFTPClient();
            ssh = client;
            sftp = c;
            generation++;
        } catch (IOException e) {
            SshClients.closeQuietly(client);
            throw new StoreException(StoreException.Reason.READ_FAILED, location + ": the server offers no SFTP"
                    + " subsystem (" + oneLine(e) + "): enable Subsystem sftp in its sshd_config");
        }
    }

    private void disconnect() {
        if (sftp != null) {
            try {
                sftp.close();
            } catch (IOException | RuntimeException ignored) {
                // the connection is going anyway
            }
        }
        if (ssh != null) {
            SshClients.closeQuietly(ssh);
        }
        sftp = null;
        ssh = null;
    }

    /** Whether a failure came from the connection (worth reconnecting and retrying), not the request. */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof net.schmizz.sshj.sftp.SFTPException s
                    && (s.getStatusCode() == net.schmizz.sshj.sftp.Response.StatusCode.CONNECITON_LOST
                    || s.getStatusCode() == net.schmizz.sshj.sftp.Response.StatusCode.NO_CONNECTION)) {
                return true;
            }
            if (t instanceof TransportException || t instanceof ConnectionException || t instanceof SocketException
                    || t instanceof EOFException || t instanceof SocketTimeoutException
                    || t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    @Override
    public synchronized void close() {
        disconnect();
    }

    @Override
    public String toString() {
        return "SftpSession[" + location + ", key " + key.fingerprint() + ", " + hostKeys + "]";
    }
}
