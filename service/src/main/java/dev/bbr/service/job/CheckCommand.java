package dev.bbr.service.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A drill's check: a command on this machine that tells whether the restored data is what it should
 * be. It sees {@code BBR_DRILL_SOURCE}, {@code BBR_DRILL_TARGET}, {@code BBR_DRILL_BACKUP} and
 * {@code BBR_RUN_ID}; exit 0 passes. Output is kept (its last 4 KiB) for the run's error; a check
 * that outlives its timeout is killed, with its children.
 */
final class CheckCommand {
    private static final int KEEP = 4096;

    private CheckCommand() {}

    record Outcome(boolean passed, String detail) {}

    static Outcome run(List<String> command, Path directory, Map<String, String> env, Duration timeout)
            throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new Outcome(false, "the check command could not start: " + e.getMessage());
        }
        Tail tail = new Tail(process.getInputStream());
        tail.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Outcome(false, "the check command did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
        tail.join(TimeUnit.SECONDS.toMillis(5));
        int exit = process.exitValue();
        String output = tail.text().strip();
        return exit == 0 ? new Outcome(true, output)
                : new Outcome(false, "the check command exited " + exit + (output.isEmpty() ? "" : ": " + output));
    }

    /** Keeps the last {@value #KEEP} bytes of the output, reading all of it so the process never blocks. */
    private static final class Tail extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Tail(InputStream in) {
            super("bbr-service-check-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    synchronized (kept) {
                        kept.write(buffer, 0, n);
                        if (kept.size() > 4 * KEEP) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            kept.write(all, all.length - KEEP, KEEP);
                        }
                    }
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        }

        String text() {
            synchronized (kept) {
                byte[] all = kept.toByteArray();
                int from = Math.max(0, all.length - KEEP);
                return new String(all, from, all.length - from, StandardCharsets.UTF_8);
            }
        }
    }
}
