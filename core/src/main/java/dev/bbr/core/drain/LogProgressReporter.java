package dev.bbr.core.drain;

import dev.bbr.core.event.TransferProgress;
import dev.bbr.core.log.Log;

/**
 * bbr's progress lines, {@code Copying backup for job J on G/ID -- N% complete}, each time the
 * percentage advances by at least 5 points, as {@link TransferProgress} events. Unlike bbr it stops
 * at 100 instead of repeating it on every write once the estimate is passed, and never divides by a
 * zero total.
 */
public final class LogProgressReporter implements ProgressReporter {
    private static final int STEP = 5;
    private final Log log;

    public LogProgressReporter(Log log) {
        this.log = log;
    }

    @Override
    public Tracker start(String direction, String job, String instance, long totalBytes) {
        return new Tracker() {
            private int lastLogged = 0;

            @Override
            public synchronized void update(long bytesSoFar) {
                int percent = totalBytes <= 0 ? 100 : (int) Math.min(100, bytesSoFar * 100 / totalBytes);
                if (percent >= lastLogged + STEP || (percent == 100 && lastLogged < 100)) {
                    lastLogged = percent;
                    log.emit(new TransferProgress(direction, job, instance, bytesSoFar, totalBytes, percent,
                            "Copying backup for job " + job + " on " + instance + " -- " + percent + "% complete"));
                }
            }

            @Override
            public void finish(boolean completed) {}
        };
    }
}
