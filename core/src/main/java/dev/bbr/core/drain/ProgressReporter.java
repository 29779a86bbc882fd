package dev.bbr.core.drain;

/** Shows how far each artifact transfer has come: a bar on a terminal, log lines under nohup, JSON events. */
public interface ProgressReporter {

    /**
     * @param direction  {@code backup} (instance to store) or {@code restore}
     * @param job        the job whose artifact moves
     * @param instance   {@code group/id}, as bbr's progress lines name it
     * @param totalBytes expected size (an estimate for backups; transfers may overshoot it)
     */
    Tracker start(String direction, String job, String instance, long totalBytes);

    interface Tracker {
        void update(long bytesSoFar);

        /** The transfer ended; {@code completed} when every byte arrived (a failed one keeps its percentage). */
        void finish(boolean completed);
    }
}
