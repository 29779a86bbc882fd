package dev.bbr.core.workflow;

import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.RemoteShell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An instance that answers bbr's commands from a script list: jobs with scripts, scripts that fail,
 * and one file per artifact. Records every command in order (shared log across instances).
 */
final class FakeShell implements RemoteShell {
    final String name;
    final Map<String, Set<String>> scripts;
    final Set<String> failing;
    final List<String> commandLog;
    final List<String> ownCommands = new CopyOnWriteArrayList<>();
    boolean artifactRootExists;
    boolean closed;

    FakeShell(String name, Map<String, Set<String>> scripts, Set<String> failing, List<String> commandLog) {
        this.name = name;
        this.scripts = scripts;
        this.failing = failing;
        this.commandLog = commandLog;
    }

    @Override
    public String address() {
        return name + ":22";
    }

    @Override
    public ExecResult run(String command) {
        ownCommands.add(command);
        if (command.contains("find \"$d\"")) {
            List<String> paths = new ArrayList<>();
            scripts.forEach((job, names) -> names.forEach(n -> paths.add("/var/vcap/jobs/" + job + "/bin/bbr/" + n)));
            return ok(String.join("\0", paths) + "\0");
        }
        if (command.startsWith("sudo -n stat ")) {
            return new ExecResult(artifactRootExists ? 0 : 1, new byte[0], "");
        }
        if (command.contains("/bin/bbr/")) {
            String script = command.substring(command.lastIndexOf("/bin/bbr/") + 9).replace("'", "");
            String job = command.replaceAll(".*/var/vcap/jobs/([^/]+)/bin/bbr/.*", "$1");
            commandLog.add(name + " " + job + " " + script + (command.contains("SUCCESSFUL='false'") ? " (false)"
                    : command.contains("SUCCESSFUL='true'") ? " (true)" : ""));
            if (failing.contains(job + "/" + script)) {
                return new ExecResult(1, new byte[0], job + " " + script + " broke");
            }
            return ok("");
        }
        if (command.startsWith("sudo -n du -sb")) {
            return ok("1024\t/dir");
        }
        if (command.contains("sha256sum -z")) {
            return new ExecResult(0, ("%s  ./data\0".formatted(sha256(content()))).getBytes(StandardCharsets.UTF_8),
                    "");
        }
        if (command.startsWith("sudo -n rm -rf")) {
            commandLog.add(name + " rm " + command.substring(command.indexOf('\'')));
            return ok("");
        }
        return new ExecResult(127, new byte[0], "unexpected command " + command);
    }

    @Override
    public ExecResult download(String command, StdoutReader reader) {
        ownCommands.add(command);
        try {
            reader.read(new java.io.ByteArrayInputStream(tar()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new ExecResult(0, new byte[0], "");
    }

    @Override
    public ExecResult upload(String command, InputStream stdin) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        closed = true;
    }

    private byte[] content() {
        return ("data of " + name).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] tar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry("./data");
            entry.setSize(content().length);
            tar.putArchiveEntry(entry);
            tar.write(content());
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static ExecResult ok(String stdout) {
        return new ExecResult(0, stdout.getBytes(StandardCharsets.UTF_8), "");
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
