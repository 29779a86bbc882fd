package dev.bbr.core.remote;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs commands on one instance. The SSH module implements it over a single connection (one
 * session per command, several may run at once); core only builds the commands.
 */
public interface RemoteShell extends AutoCloseable {

    /** Host (and port) for messages, e.g. {@code 10.0.0.5:22}. */
    String address();

    /** Runs a command, capturing stdout and stderr. */
    ExecResult run(String command) throws RemoteException;

    /**
     * Runs a job script: as {@link #run}, but a script may print any amount on stdout (a chatty
     * {@code pg_dump -v}, say) without failing the run or filling the heap; only the last
     * {@link #SCRIPT_STDOUT_TAIL} bytes are kept, which is where bbr's own markers are printed.
     */
    default ExecResult runScript(String command) throws RemoteException {
        return run(command);
    }

    /** How much of a script's stdout {@link #runScript} keeps. */
    int SCRIPT_STDOUT_TAIL = 1024 * 1024;

    /**
     * Runs a short control command (stopping a cancelled run's scripts) that must not wait behind
     * the commands already running on this instance.
     */
    default ExecResult runControl(String command) throws RemoteException {
        return run(command);
    }

    /**
     * Runs a command and hands its stdout to {@code reader}, which must consume it to the end;
     * stderr is captured into the result (whose stdout is then empty).
     */
    ExecResult download(String command, StdoutReader reader) throws RemoteException;

    /** Runs a command with {@code stdin} streamed to it until the end of the stream. */
    ExecResult upload(String command, InputStream stdin) throws RemoteException;

    @Override
    void close();

    /** Consumes a command's stdout. An IOException aborts the command. */
    @FunctionalInterface
    interface StdoutReader {
        void read(InputStream stdout) throws IOException;
    }
}
