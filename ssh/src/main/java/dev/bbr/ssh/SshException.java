package dev.bbr.ssh;

import java.io.IOException;

/** Failure of an SSH dial, handshake, authentication or remote command, worded like bbr. */
public class SshException extends IOException {
    private static final long serialVersionUID = 1L;

    public SshException(String message) {
        super(message);
    }

    public SshException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Short cause text for messages: the exception's message, or its class if it has none. */
    public static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
