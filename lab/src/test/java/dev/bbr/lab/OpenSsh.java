package dev.bbr.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real OpenSSH client, pinned to a known host key, key auth only. */
final class OpenSsh {
    private OpenSsh() {
    }

    static Path newKey(Path dir, String name) {
        Path key = dir.resolve(name);
        Cmd.run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", key.toString()).orThrow("keygen");
        return key;
    }

    static Path knownHosts(Path dir, String ip, String hostPublicKey) throws Exception {
        Path f = Files.createTempFile(dir, "known_hosts", "");
        Files.writeString(f, ip + " " + hostPublicKey.strip() + "\n");
        return f;
    }

    static ExecResult run(Path key, Path knownHosts, String user, String ip, String command, String... extraOpts) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-i", key.toString(), "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"));
        argv.addAll(List.of(extraOpts));
        argv.add(user + "@" + ip);
        argv.add(command);
        return Cmd.run(argv, null, 60);
    }
}
