package dev.bbr.store.sftp;

import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.StorageRegistry;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.ssh.SshException;
import dev.bbr.ssh.SshKey;
import dev.bbr.store.remote.RemoteStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SFTP store: {@code sftp://USER@HOST[:PORT]/PATH[?fingerprint=SHA256:…&key=FILE]}, over sshj with
 * public-key authentication. The key is {@code key=}, else {@code BBR_SFTP_KEY}, else the first of
 * {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}. The host key must match {@code
 * fingerprint=}, else be listed in {@code BBR_SFTP_KNOWN_HOSTS} (default {@code ~/.ssh/known_hosts});
 * an unlisted host is refused. {@code HOME} is taken from the environment map given.
 */
public final class SftpStores {
    public static final String SCHEME = "sftp";
    static final String ENV_KEY = "BBR_SFTP_KEY";
    static final String ENV_KNOWN_HOSTS = "BBR_SFTP_KNOWN_HOSTS";

    private SftpStores() {
    }

    /** The adapter for {@code sftp://} locations; one connection per server, user, key and host key check. */
    public static StorageRegistry.Adapter adapter(Map<String, String> env, Clock clock, Layout layout,
                                                  SftpOptions options) {
        Connections connections = new Connections(Map.copyOf(env), options);
        return RemoteStores.adapter(SCHEME, layout, paths(), (location, l) -> connections.store(location, l, clock));
    }

    /** Opens stores, sharing one SSH connection per server, user and key; close it when done. */
    public static Connections connections(Map<String, String> env, SftpOptions options) {
        return new Connections(Map.copyOf(env), options);
    }

    /** The SSH connections of an adapter, by server, user, key and host key check. */
    public static final class Connections implements AutoCloseable {
        private final Map<String, String> env;
        private final SftpOptions options;
        private final Map<String, SftpSession> sessions = new HashMap<>();

        Connections(Map<String, String> env, SftpOptions options) {
            this.env = env;
            this.options = options;
        }

        public SftpArtifactStore store(String location, Layout layout, Clock clock) throws StoreException {
            SftpLocation l = SftpLocation.parse(location);
            SftpSession session;
            synchronized (sessions) {
                Path keyFile = keyFile(l);
                String id = l.user() + "@" + l.host() + ":" + l.port() + "|" + keyFile + "|" + l.fingerprint().orElse("");
                session = sessions.get(id);
                if (session == null) {
                    SshKey key;
                    try {
                        key = SshKey.fromPemFile(keyFile);
                    } catch (SshException e) {
                        throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, l + ": cannot use the key "
                                + keyFile + ": " + e.getMessage());
                    }
                    SftpHostKeys hostKeys = l.fingerprint().map(SftpHostKeys::pinned).orElseGet(() ->
                            SftpHostKeys.knownHosts(Path.of(Optional.ofNullable(env.get(ENV_KNOWN_HOSTS))
                                    .orElse(home() + "/.ssh/known_hosts"))));
                    session = new SftpSession(l, key, l.keyFile().isPresent() ? "key=" + keyFile : keySource(keyFile),
                            hostKeys);
                    sessions.put(id, session);
                }
            }
            return new SftpArtifactStore(new SftpBackend(session, l, options.transfer()), layout, clock);
        }

        private Path keyFile(SftpLocation l) throws StoreException {
            if (l.keyFile().isPresent()) {
                return Path.of(l.keyFile().get());
            }
            String fromEnv = env.get(ENV_KEY);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Path.of(fromEnv.trim());
            }
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = Path.of(home(), ".ssh", name);
                if (Files.isReadable(p)) {
                    return p;
                }
            }
            throw new StoreException(StoreException.Reason.UNSUPPORTED_LOCATION, l + ": no SSH key: set " + ENV_KEY
                    + " to a private key file, or add ?key=FILE to the location");
        }

        private String keySource(Path keyFile) {
            String fromEnv = env.get(ENV_KEY);
            return fromEnv != null && !fromEnv.isBlank() ? ENV_KEY + "=" + keyFile : keyFile.toString();
        }

        private String home() {
            return env.getOrDefault("HOME", System.getProperty("user.home"));
        }

        @Override
        public void close() {
            synchronized (sessions) {
                sessions.values().forEach(SftpSession::close);
                sessions.clear();
            }
        }

        @Override
        public String toString() {
            return "SftpStores.Connections[" + sessions.size() + " sessions]";
        }
    }

    static RemoteStores.Paths paths() {
        return new RemoteStores.Paths() {
            @Override
            public Optional<String> parent(String location) {
                try {
                    SftpLocation l = SftpLocation.parse(location);
                    String p = l.path();
                    int slash = p.lastIndexOf('/');
                    if (p.equals("/") || p.isEmpty()) {
                        return Optional.empty();
                    }
                    String parent = slash < 0 ? "" : slash == 0 ? "/" : p.substring(0, slash);
                    return Optional.of(l.withPath(parent).withQuery());
                } catch (StoreException e) {
                    return Optional.empty();
                }
            }

            @Override
            public String lastSegment(String location) {
                try {
                    String p = SftpLocation.parse(location).path();
                    return p.substring(p.lastIndexOf('/') + 1);
                } catch (StoreException e) {
                    return "";
                }
            }
        };
    }
}
