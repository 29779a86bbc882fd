package dev.bbr.cli.output;

import dev.bbr.core.drain.ProgressReporter;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live bar per artifact when stdout is a terminal, each on its own line of the {@link LiveRegion}
 * (the progressbar library renders it; the region places it). A finished transfer's bar is drawn
 * once more at 100 % with its real size and becomes a permanent line. Under nohup or in a pipeline
 * bbr's percentage log lines are used instead ({@link dev.bbr.core.drain.LogProgressReporter}).
 */
public final class TerminalProgressReporter implements ProgressReporter {
    private static final long MIB = 1024L * 1024L;
    private final LiveRegion region;
    private final int width;

    /**
     * The terminal's width is read once, with {@code stty} rather than the library's JLine terminal:
     * building one installs JLine's own SIGINT handler, which replaced bbr's (Ctrl-C then killed the
     * run instead of asking whether to stop).
     */
    public TerminalProgressReporter(LiveRegion region) {
        this(region, TerminalWidth.columns() - 1);
    }

    TerminalProgressReporter(LiveRegion region, int width) {
        this.region = region;
        this.width = Math.max(40, width);
    }

    @Override
    public Tracker start(String direction, String job, String instance, long totalBytes) {
        Object key = new Object();
        AtomicReference<String> last = new AtomicReference<>("");
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(job + " on " + instance)
                .setInitialMax(Math.max(1, totalBytes))
                .setUnit("MiB", MIB)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new DelegatingProgressBarConsumer(text -> {
                    last.set(text);
                    region.set(key, text);
                }, width))
                .setUpdateIntervalMillis(250)
                .build();
        return new Tracker() {
            private long bytes;

            @Override
            public synchronized void update(long bytesSoFar) {
                bytes = bytesSoFar;
                if (bytesSoFar > bar.getMax()) {
                    bar.maxHint(bytesSoFar);
                }
                bar.stepTo(bytesSoFar);
            }

            @Override
            public synchronized void finish(boolean completed) {
                if (completed) {
                    // the size was an estimate: the real byte count is the 100 % mark
                    bar.maxHint(Math.max(1, bytes));
                    bar.stepTo(Math.max(1, bytes));
                }
                bar.close();
                region.finish(key, last.get());
            }
        };
    }

    /** True when a person is watching: stdout and stdin are a terminal. */
    public static boolean interactive() {
        return System.console() != null;
    }
}
