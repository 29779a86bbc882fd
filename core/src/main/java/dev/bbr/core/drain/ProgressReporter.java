package dev.bbr.core.drain;

/** Shows how far each artifact transfer has come: a bar on a terminal, log lines under nohup. */
public interface ProgressReporter {

    /**
     * @param verb       {@code Copying backup} or {@code Copying restore}... as the line should read
     * @param subject    {@code for job <job> on <group>/<id>}
     * @param totalBytes expected size (an estimate; transfers may overshoot it)
     */
    Tracker start(String verb, String subject, long totalBytes);

    interface Tracker {
        void update(long bytesSoFar);

        /** The transfer ended; {@code completed} when every byte arrived (a failed one keeps its percentage). */
        void finish(boolean completed);
    }
}
