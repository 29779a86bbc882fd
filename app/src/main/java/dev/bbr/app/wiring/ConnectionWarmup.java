package dev.bbr.app.wiring;

import dev.bbr.core.discovery.DiscoveryException;
import dev.bbr.core.discovery.ManifestQuerier;
import dev.bbr.core.exec.Workers;
import dev.bbr.ssh.SshKey;
import dev.bbr.ssh.SshjConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What a deployment run needs before its first SSH connection, made on a worker while the main
 * thread sets up TLS and asks the Director for {@code /info}, the VMs and the manifest: the
 * temporary user's key, sshj's shared configuration (its cipher self-tests take ~150 ms) and the
 * YAML parser the manifest goes through. Profiled on a 50-instance backup, these took half a second
 * between the manifest's answer and the ssh setup request when done on the way.
 */
public final class ConnectionWarmup {
    private final CompletableFuture<SshKey> key;

    private ConnectionWarmup(CompletableFuture<SshKey> key) {
        this.key = key;
    }

    /** Starts the work on {@code workers}; nothing here contacts anything. */
    public static ConnectionWarmup start(Workers workers) {
        return new ConnectionWarmup(CompletableFuture.supplyAsync(() -> {
            SshKey generated = SshKey.generateEd25519();
            SshjConfig.shared();
            try {
                ManifestQuerier.parse("warm-up", "name: warm-up\ninstance_groups: []\n");
            } catch (DiscoveryException | RuntimeException e) {
                // only loading classes: the real manifest reports its own problems
            }
            return generated;
        }, workers.executor()));
    }

    /** The temporary user's key, once made. */
    SshKey key() {
        try {
            return key.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
