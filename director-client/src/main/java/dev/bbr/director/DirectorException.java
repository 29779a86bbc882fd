package dev.bbr.director;

/**
 * Root of every failure raised by the Director client.
 *
 * <p>Unchecked so callers in core can decide where to wrap ("couldn't get vm infos: ...") without
 * every intermediate layer having to declare it. Messages are user-facing (bbr prints them), so
 * they must never contain credentials, tokens or Authorization headers.
 */
public class DirectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DirectorException(String message) {
        super(message);
    }

    public DirectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
