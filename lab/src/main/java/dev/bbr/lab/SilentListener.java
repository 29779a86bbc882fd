package dev.bbr.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Accepts TCP connections and never sends a byte nor closes them: what a client sees of an sshd
 * that hangs before its banner, or of a firewall that swallows the handshake.
 */
final class SilentListener implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private SilentListener(ServerSocket server) {
        this.server = server;
    }

    static SilentListener open(String ip, int port) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(InetAddress.getByName(ip), port));
            SilentListener listener = new SilentListener(server);
            Thread t = new Thread(listener::acceptForever, "lab-silent-" + ip);
            t.setDaemon(true);
            t.start();
            return listener;
        } catch (IOException e) {
            throw new LabException("cannot listen on " + ip + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                accepted.add(server.accept());
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : accepted) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
