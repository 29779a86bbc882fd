package dev.bbr.app.wiring;

import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.RemoteException;
import dev.bbr.core.remote.RemoteShell;
import dev.bbr.ssh.CommandResult;
import dev.bbr.ssh.InstanceConnection;
import dev.bbr.ssh.SshException;
import dev.bbr.ssh.TailBuffer;
import java.io.InputStream;

/** Core's view of an instance, over the one SSH connection the run keeps to it. */
final class SshRemoteShell implements RemoteShell {
    private final InstanceConnection connection;

    SshRemoteShell(InstanceConnection connection) {
        this.connection = connection;
    }

    @Override
    public String address() {
        return connection.host();
    }

    @Override
    public ExecResult run(String command) throws RemoteException {
        try {
            return convert(connection.run(command));
        } catch (SshException e) {
            throw new RemoteException(e.getMessage(), e);
        }
    }

    /** Keeps the tail of the script's stdout (issue 11: 256 MiB of output failed the backup). */
    @Override
    public ExecResult runScript(String command) throws RemoteException {
        TailBuffer tail = new TailBuffer(SCRIPT_STDOUT_TAIL);
        try {
            CommandResult r = connection.run(command, null, tail);
            return new ExecResult(r.exitCode(), tail.toByteArray(), r.stderr());
        } catch (SshException e) {
            throw new RemoteException(e.getMessage(), e);
        }
    }

    @Override
    public ExecResult download(String command, StdoutReader reader) throws RemoteException {
        try {
            return convert(connection.read(command, reader::read));
        } catch (SshException e) {
            throw new RemoteException(e.getMessage(), e);
        }
    }

    @Override
    public ExecResult upload(String command, InputStream stdin) throws RemoteException {
        try {
            return convert(connection.run(command, stdin, java.io.OutputStream.nullOutputStream()));
        } catch (SshException e) {
            throw new RemoteException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    private static ExecResult convert(CommandResult result) {
        return new ExecResult(result.exitCode(), result.stdout(), result.stderr());
    }
}
