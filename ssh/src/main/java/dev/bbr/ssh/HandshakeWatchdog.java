package dev.bbr.ssh;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.SSHClient;

/**
 * Bounds the whole dial (TCP connect, banner, key exchange, authentication). sshj's connect timeout
 * covers the TCP connect only and it reads the server's identification line without any timeout,
 * so an instance that accepts the connection but never answers (a hung sshd, a black-holing
 * firewall) would block bbr forever. When the time is up the watchdog closes the socket (or the
 * jumpbox channel), which unblocks the read; the caller then reports the timeout. After a
 * successful handshake it is disarmed and the session has no read timeout, as before.
 */
final class HandshakeWatchdog {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bbr-ssh-handshake-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SSHClient client;
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile Closeable channel;
    private ScheduledFuture<?> timer;

    private HandshakeWatchdog(SSHClient client) {
        this.client = client;
    }

    static HandshakeWatchdog arm(SSHClient client, Duration timeout) {
        HandshakeWatchdog watchdog = new HandshakeWatchdog(client);
        watchdog.timer = TIMER.schedule(watchdog::fire, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        return watchdog;
    }

    /** The jumpbox channel the handshake runs over: closed too when the time is up. */
    void alsoClose(Closeable channel) {
        this.channel = channel;
    }

    /** Stops the timer; false if it already fired (the socket is closed, the connection unusable). */
    boolean disarm() {
        return timer.cancel(false) || !fired.get();
    }

    boolean fired() {
        return fired.get();
    }

    private void fire() {
        fired.set(true);
        Socket socket = client.getSocket();
        closeQuietly(socket);
        closeQuietly(channel);
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // the blocked read fails either way; that failure is what gets reported
        }
    }
}
