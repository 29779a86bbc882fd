package dev.bbr.lab;

/** Anything that stops the lab from starting, running or tearing down. */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
