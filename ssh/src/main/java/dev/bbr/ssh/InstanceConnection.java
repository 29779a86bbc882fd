package dev.bbr.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH connection (one TCP connection, one handshake) to one instance for the whole run; every
 * command gets its own session channel. Thread-safe: commands may run concurrently. Note all
 * channels share the connection's single decrypting reader thread.
 */
public final class InstanceConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceConnection.class);

    static final int STDOUT_CAPTURE_LIMIT = 16 * 1024 * 1024;
    static final int STDERR_TAIL = 64 * 1024;
    /**
     * OpenSSH refuses more than MaxSessions (default 10, as on BOSH stemcells) open channels per
     * connection with "open failed". Parallel drains open two sessions each (tar and checksums), so
     * commands queue here instead; a closing channel may still count on the server for a moment.
     */
    static final int MAX_CONCURRENT_SESSIONS = 8;
    private static final int OPEN_ATTEMPTS = 12;
    /** 32–64 KiB reads measured fastest; ChannelInputStream returns what is buffered. */
    static final int BUFFER_SIZE = 64 * 1024;

    private final SSHClient client;
    private final DirectConnection tunnel; // non-null when connected through the jumpbox
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Semaphore sessions = new Semaphore(MAX_CONCURRENT_SESSIONS, true);
    /**
     * A separate lane for short control commands (stopping a cancelled run's scripts) that must not
     * queue behind the very commands they stop; it stays within OpenSSH's default MaxSessions of 10.
     */
    private final Semaphore controlSessions = new Semaphore(1, true);

    InstanceConnection(SSHClient client, DirectConnection tunnel, String host) {
        this.client = client;
        this.tunnel = tunnel;
        this.host = host;
    }

    /** host:port this connection goes to. */
    public String host() {
        return host;
    }

    public boolean isConnected() {
        return !closed.get() && client.isConnected();
    }

    /** Runs a command, capturing stdout in memory (at most 16 MiB) and the stderr tail. */
    public CommandResult run(String command) throws SshException {
        CappedOutputStream out = new CappedOutputStream(STDOUT_CAPTURE_LIMIT);
        CommandResult r = run(command, null, out);
        return new CommandResult(r.exitCode(), out.toByteArray(), r.stderr());
    }

    /**
     * As {@link #run(String)}, on the control lane: it never waits behind the commands already running
     * on this connection (those may be exactly what it is meant to stop).
     */
    public CommandResult runControl(String command) throws SshException {
        CappedOutputStream out = new CappedOutputStream(STDOUT_CAPTURE_LIMIT);
        CommandResult r = execute(controlSessions, command, null, stdout -> copy(stdout, out));
        return new CommandResult(r.exitCode(), out.toByteArray(), r.stderr());
    }

    /**
     * Runs a command streaming {@code stdin} (may be null: EOF is sent at once) to it and its stdout
     * into {@code stdoutSink}. The returned result has empty stdout. The sink is flushed, not closed.
     *
     * @throws SshException "stdout.Write failed: ..." if the sink fails (the session is closed);
     *         "ssh session ended before returning an exit code: ..." if no exit status arrives
     */
    public CommandResult run(String command, InputStream stdin, OutputStream stdoutSink) throws SshException {
        return execute(sessions, command, stdin, stdout -> copy(stdout, stdoutSink));
    }

    /**
     * Runs a command and hands its stdout stream to {@code consumer}, which reads it in place (no
     * pipe or extra copy: the drain parses the tar straight off the channel). Whatever the consumer
     * leaves unread is drained afterwards, so the remote never blocks on a full window.
     *
     * @throws SshException "stdout.Write failed: ..." if the consumer fails on its own side (e.g.
     *         disk full); "ssh session ended before returning an exit code: ..." if reading failed
     */
    public CommandResult read(String command, StdoutConsumer consumer) throws SshException {
        return execute(sessions, command, null, consumer);
    }

    /** Reads a command's stdout. */
    @FunctionalInterface
    public interface StdoutConsumer {
        void consume(InputStream stdout) throws IOException;
    }

    private static void copy(InputStream stdout, OutputStream sink) throws IOException {
        byte[] buf = new byte[BUFFER_SIZE];
        int n;
        while ((n = stdout.read(buf)) >= 0) {
            sink.write(buf, 0, n);
        }
        sink.flush();
    }

    private CommandResult execute(Semaphore lane, String command, InputStream stdin, StdoutConsumer consumer)
            throws SshException {
        try {
            lane.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException("interrupted while waiting for a free ssh session on " + host, e);
        }
        try {
            return executeInSession(command, stdin, consumer);
        } finally {
            lane.release();
        }
    }

    private CommandResult executeInSession(String command, InputStream stdin, StdoutConsumer consumer)
            throws SshException {
        if (closed.get()) {
            throw new SshException("ssh connection to " + host + " is closed");
        }
        log.debug("Trying to execute command on {} (length {})", host, command.length());
        Session session = openSession();
        try (Session s = session) {
            Session.Command cmd;
            try {
                cmd = s.exec(command);
            } catch (IOException | RuntimeException e) {
                throw new SshException("ssh.Session.Start failed: " + host + ": " + SshClients.describeChain(e), e);
            }
            return collect(cmd, stdin, consumer);
        } catch (IOException e) {
            if (e instanceof SshException) {
                throw (SshException) e;
            }
            // failure closing the session after the command finished; the result is already lost
            throw new SshException("ssh session ended before returning an exit code: " + SshClients.describeChain(e), e);
        }
    }

    /**
     * Opens a session channel. The server may refuse it ("open failed") when it still counts
     * channels we have closed, or when its MaxSessions is below ours; nothing has run then, so the
     * open is retried with back-off (about 6 s in all) before giving up.
     */
    private Session openSession() throws SshException {
        long delayMillis = 20;
        for (int attempt = 1; ; attempt++) {
            try {
                return client.startSession();
            } catch (OpenFailException e) {
                if (attempt >= OPEN_ATTEMPTS || closed.get()) {
                    throw new SshException("ssh.NewSession failed: " + host + ": " + SshClients.describeChain(e), e);
                }
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SshException("interrupted while opening an ssh session on " + host, interrupted);
                }
                delayMillis = Math.min(delayMillis * 2, 1000);
            } catch (IOException | RuntimeException e) {
                throw new SshException("ssh.NewSession failed: " + host + ": " + SshClients.describeChain(e), e);
            }
        }
    }

    /**
     * Runs the command's three streams to their end. When this returns (or throws), the stdin pump
     * has stopped: nothing reads the caller's stdin any more, so the caller may inspect it (the
     * restore upload asks its hashing stream for checksums right after). The remote may stop
     * reading before the end of stdin (tar -x stops at the end-of-archive blocks); what it did not
     * read stays unread.
     */
    private CommandResult collect(Session.Command cmd, InputStream stdin, StdoutConsumer consumer) throws SshException {
        Thread stdinPump = null;
        try {
            AtomicReference<IOException> stdinFailure = new AtomicReference<>();
            if (stdin == null) {
                closeQuietly(cmd.getOutputStream()); // EOF now, so `cat`-like commands don't wait for input
            } else {
                stdinPump = daemon("bbr-ssh-stdin " + host, () -> pump(stdin, cmd, stdinFailure));
                stdinPump.start();
            }
            String stderr = collectOutput(cmd, consumer);
            joinPump(stdinPump, cmd);
            // a LOCAL read failure kills the channel, so it is reported before the missing exit status
            if (stdinFailure.get() != null) {
                throw new SshException("reading stdin for the remote command failed: "
                        + SshException.describe(stdinFailure.get()), stdinFailure.get());
            }
            Integer status = cmd.getExitStatus();
            if (status == null) {
                throw new SshException("ssh session ended before returning an exit code: " + missingStatusReason(cmd));
            }
            return new CommandResult(status, new byte[0], stderr);
        } finally {
            joinPump(stdinPump, cmd);
        }
    }

    /**
     * Waits for the stdin pump to stop. Once the command has ended the channel is closed, so a pump
     * blocked on the window fails its write at once; one still reading local stdin finishes that read.
     */
    private static void joinPump(Thread pump, Session.Command cmd) {
        if (pump == null || !pump.isAlive()) {
            return;
        }
        closeQuietly(cmd);
        boolean interrupted = false;
        while (pump.isAlive()) {
            try {
                pump.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads stdout (through the consumer) and stderr to their end and waits for the command; returns stderr. */
    private String collectOutput(Session.Command cmd, StdoutConsumer consumer) throws SshException {
        TailBuffer stderr = new TailBuffer(STDERR_TAIL);
        // Both stdout and stderr have their own window: an unread one stalls the remote forever.
        Thread stderrDrain = daemon("bbr-ssh-stderr " + host, () -> drain(cmd.getErrorStream(), stderr));
        stderrDrain.start();

        // Read stdout to EOF BEFORE join (sshj #508/#576 hang otherwise).
        ReadTrackingInputStream out = new ReadTrackingInputStream(cmd.getInputStream());
        try {
            consumer.consume(out);
            out.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            closeQuietly(cmd);
            if (out.readFailed()) {
                throw new SshException("ssh session ended before returning an exit code: "
                        + SshClients.describeChain(e), e);
            }
            throw new SshException("stdout.Write failed: " + SshException.describe(e), e);
        }

        try {
            stderrDrain.join();
            cmd.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cmd);
            throw new SshException("interrupted while waiting for the remote command on " + host, e);
        } catch (IOException e) {
            throw new SshException("ssh session ended before returning an exit code: " + SshClients.describeChain(e), e);
        }
        return stderr.text();
    }

    private static String missingStatusReason(Session.Command cmd) {
        Signal signal = cmd.getExitSignal();
        if (signal == null) {
            return "the connection closed without an exit status (did the network fail?)";
        }
        StringBuilder b = new StringBuilder("remote command was killed by signal ").append(signal);
        if (Boolean.TRUE.equals(cmd.getExitWasCoreDumped())) {
            b.append(" (core dumped)");
        }
        String msg = cmd.getExitErrorMessage();
        if (msg != null && !msg.isBlank()) {
            b.append(": ").append(msg);
        }
        return b.toString();
    }

    private static void drain(InputStream in, TailBuffer into) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                into.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the channel died; the stdout reader reports that
        }
    }

    /**
     * Copies local stdin to the remote, then sends EOF. A LOCAL read failure must not look like a
     * clean end of input (a half-read tar would "restore" fine), so it kills the channel instead.
     */
    private static void pump(InputStream stdin, Session.Command cmd, AtomicReference<IOException> failure) {
        byte[] buf = new byte[BUFFER_SIZE];
        OutputStream remote = new WindowAwareOutputStream(cmd);
        while (true) {
            int n;
            try {
                n = stdin.read(buf);
            } catch (IOException e) {
                failure.set(e);
                closeQuietly(cmd);
                return;
            }
            if (n < 0) {
                break;
            }
            try {
                remote.write(buf, 0, n);
            } catch (IOException e) {
                return; // remote stopped reading (exited / channel closed); the exit status tells why
            }
        }
        closeQuietly(remote); // SSH_MSG_CHANNEL_EOF
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort during failure handling
        }
    }

    /** Disconnects; idempotent. Commands still running fail with a session-ended error. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        SshClients.closeQuietly(client);
        if (tunnel != null) {
            closeQuietly(tunnel);
        }
    }

    @Override
    public String toString() {
        return "InstanceConnection[" + host + "]";
    }
}
