package dev.bbr.core.log;

/**
 * The operator log of one run: bbr's {@code [bbr] <date> <LEVEL> - <message>} lines. One object per
 * run (rather than static loggers) so that {@code --all-deployments} can give each deployment its
 * own log file while they run in parallel.
 */
public interface Log {
    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);

    /** A log that discards everything (tests, dry checks). */
    Log NONE = new Log() {
        @Override
        public void debug(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void error(String message) {}
    };
}
