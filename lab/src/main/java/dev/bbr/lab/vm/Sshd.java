package dev.bbr.lab.vm;

import dev.bbr.lab.LabException;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One real /usr/sbin/sshd -D for a VM, started inside the VM's namespace. */
public final class Sshd {
    private final Namespace ns;
    private final String ip;
    private final Path config;
    private final Path log;
    private final boolean probeFromHost;
    private Process process;

    /** @param probeFromHost false when the VM's address is not reachable from the lab JVM (private topology) */
    public Sshd(Namespace ns, String ip, Path config, Path log, boolean probeFromHost) {
        this.probeFromHost = probeFromHost;
        this.ns = ns;
        this.ip = ip;
        this.config = config;
        this.log = log;
    }

    public synchronized void start() {
        if (running()) {
            return;
        }
        int listeningBefore = listeningLines();
        ProcessBuilder pb = new ProcessBuilder(ns.enter("/usr/sbin/sshd", "-D", "-f", config.toString(), "-E", log.toString()));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectErrorStream(true);
        try {
            process = pb.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new LabException("cannot start sshd for " + ip, e);
        }
        awaitListening(listeningBefore);
        if (!probeFromHost) {
            return;
        }
        awaitBanner();
    }

    private int listeningLines() {
        try {
            String needle = "Server listening on " + ip + " port 22";
            return (int) Files.readAllLines(log).stream().filter(l -> l.contains(needle)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** sshd logs "Server listening on IP port 22." right after listen(); works even where the JVM cannot connect. */
    private void awaitListening(int before) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LabException("sshd for " + ip + " exited with " + process.exitValue() + ": " + tail());
            }
            if (listeningLines() > before) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted waiting for sshd " + ip);
            }
        }
        throw new LabException("sshd on " + ip + ":22 not listening after 15s: " + tail());
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL the listener only; existing sessions (separate processes) keep running like on a real VM. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ready = something on ip:22 says "SSH-2.0". */
    private void awaitBanner() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LabException("sshd for " + ip + " exited with " + process.exitValue() + ": " + tail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, 22), 500);
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[7];
                int n = in.readNBytes(buf, 0, 7);
                if (n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("SSH-2.0")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted waiting for sshd " + ip);
            }
        }
        throw new LabException("sshd on " + ip + ":22 not ready after 15s: " + tail());
    }

    private String tail() {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
