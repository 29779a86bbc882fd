package dev.bbr.artifacts.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A held run lock ({@link ArtifactStore#lock}): refreshed in the background while held, released on
 * {@link #close()}. While one run of a deployment writes into a store, a second one is refused
 * instead of racing it for the remote artifact directories and the job locks.
 */
public interface RunLock extends AutoCloseable {

    /** Who took a lock: enough for the refusal message and for telling a dead holder. */
    record Owner(String runId, long pid, String host, Instant startedAt) {
        /** This process. */
        public static Owner thisProcess(String runId, Instant now) {
            return new Owner(runId, ProcessHandle.current().pid(), Hosts.name(), now);
        }

        /** {@code run 5f0c… (pid 4242 on jumpbox, since 2026-12-07T02:00:00Z)}. */
        public String describe() {
            return "run " + runId + " (pid " + pid + " on " + host + ", since " + startedAt + ")";
        }
    }

    /** The holder whose stale or dead lock was taken over, if any (the caller warns about it). */
    Optional<String> tookOverFrom();

    /** Releases the lock; idempotent. */
    @Override
    void close();

    /** The host name locks record. */
    final class Hosts {
        private Hosts() {}

        public static String name() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                String env = System.getenv("HOSTNAME");
                return env == null || env.isBlank() ? "unknown-host" : env;
            }
        }
    }
}
