package dev.bbr.core.discovery;

import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.RemoteException;
import dev.bbr.core.remote.RemoteShell;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The part of an instance discovery talks to: {@code find} lists the given script paths (in the
 * given order), each job's metadata script prints what the test says, and any command can be made to
 * fail or to lose its connection. Every command is recorded.
 */
final class StubShell implements RemoteShell {
    final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private final Map<String, ExecResult> metadata = new ConcurrentHashMap<>();
    private ExecResult findResult;
    private RemoteException findThrows;
    private RemoteException metadataThrows;
    /** Runs before find answers (e.g. to hold it until another instance's find started). */
    Runnable beforeFind = () -> { };

    /** Scripts of one job, found under {@code /var/vcap/jobs/<job>/bin/bbr/}. */
    StubShell job(String job, String... scripts) {
        for (String script : scripts) {
            paths.add("/var/vcap/jobs/" + job + "/bin/bbr/" + script);
        }
        return this;
    }

    /** Any other path find prints. */
    StubShell path(String path) {
        paths.add(path);
        return this;
    }

    StubShell metadata(String job, String stdout) {
        metadata.put(job, new ExecResult(0, stdout.getBytes(StandardCharsets.UTF_8), ""));
        return this;
    }

    StubShell metadataFails(String job, int exitCode, String stderr) {
        metadata.put(job, new ExecResult(exitCode, new byte[0], stderr));
        return this;
    }

    StubShell metadataThrows(RemoteException e) {
        metadataThrows = e;
        return this;
    }

    StubShell findFails(int exitCode, String stderr) {
        findResult = new ExecResult(exitCode, new byte[0], stderr);
        return this;
    }

    StubShell findThrows(RemoteException e) {
        findThrows = e;
        return this;
    }

    @Override
    public String address() {
        return "10.0.0.1:22";
    }

    @Override
    public ExecResult run(String command) throws RemoteException {
        commands.add(command);
        if (command.contains("find \"$d\"")) {
            beforeFind.run();
            if (findThrows != null) {
                throw findThrows;
            }
            if (findResult != null) {
                return findResult;
            }
            StringBuilder out = new StringBuilder();
            paths.forEach(p -> out.append(p).append('\0'));
            return new ExecResult(0, out.toString().getBytes(StandardCharsets.UTF_8), "find: warning");
        }
        if (command.endsWith("/bin/bbr/metadata'")) {
            if (metadataThrows != null) {
                throw metadataThrows;
            }
            String job = command.replaceAll(".*/var/vcap/jobs/([^/]+)/bin/bbr/metadata'$", "$1");
            return metadata.getOrDefault(job, new ExecResult(0, new byte[0], ""));
        }
        return new ExecResult(127, new byte[0], "unexpected command " + command);
    }

    @Override
    public ExecResult download(String command, StdoutReader reader) {
        throw new UnsupportedOperationException("discovery downloads nothing");
    }

    @Override
    public ExecResult upload(String command, InputStream stdin) {
        throw new UnsupportedOperationException("discovery uploads nothing");
    }

    @Override
    public void close() {}
}
