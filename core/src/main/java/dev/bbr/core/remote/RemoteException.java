package dev.bbr.core.remote;

/** The command could not be run to completion (connection lost, no exit status, local write failed). */
public class RemoteException extends Exception {
    private static final long serialVersionUID = 1L;

    public RemoteException(String message, Throwable cause) {
        super(message, cause);
    }

    public RemoteException(String message) {
        super(message);
    }
}
