package dev.bbr.cli.command;

/** Bad command-line input: printed as {@code Incorrect Usage. <message>} followed by the help. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
