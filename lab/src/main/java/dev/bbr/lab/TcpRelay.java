package dev.bbr.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Plain TCP forwarder, run by the lab inside the private network namespace (nsenter --net) so
 * the Director's HTTPS (served by the lab JVM on the host end of the veth) appears at
 * 10.244.0.10. TLS passes through untouched. Usage: TcpRelay LISTEN_IP:PORT TARGET_IP:PORT ...
 */
public final class TcpRelay {
    private TcpRelay() {
    }

    public static void main(String[] args) throws IOException {
        for (String pair : args) {
            String[] p = pair.split("=");
            InetSocketAddress listen = parse(p[0]);
            InetSocketAddress target = parse(p[1]);
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(listen, 128);
            Thread t = new Thread(() -> accept(ss, target), "relay-" + listen);
            t.start();
        }
        System.out.println("relay ready");
        System.out.flush();
    }

    private static InetSocketAddress parse(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, i), Integer.parseInt(hostPort.substring(i + 1)));
    }

    private static void accept(ServerSocket ss, InetSocketAddress target) {
        while (true) {
            try {
                Socket in = ss.accept();
                Socket out = new Socket();
                try {
                    out.connect(target, 10_000);
                } catch (IOException e) {
                    in.close();
                    continue;
                }
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One direction; closing both sockets on EOF is what a relay for HTTP/TLS needs. */
    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                i.transferTo(o);
            } catch (IOException ignored) {
                // peer went away
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
