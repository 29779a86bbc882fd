package dev.bbr.service.notify;

/** One channel (webhook, email). {@link #send} retries as the channel does and then gives up with an exception. */
public interface Notifier {
    /** {@code webhook} or {@code email}, for log lines. */
    String channel();

    void send(Notification notification) throws NotifyException;

    /** A notification that could not be delivered, with how often it was tried. */
    final class NotifyException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int attempts;

        public NotifyException(String message, int attempts, Throwable cause) {
            super(message, cause);
            this.attempts = attempts;
        }

        public int attempts() {
            return attempts;
        }
    }
}
