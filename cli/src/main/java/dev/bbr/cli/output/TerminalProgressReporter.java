package dev.bbr.cli.output;

import dev.bbr.core.drain.ProgressReporter;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live bar per artifact when stdout is a terminal. Under nohup or in a pipeline bbr's
 * percentage log lines are used instead ({@link dev.bbr.core.drain.LogProgressReporter}).
 */
public final class TerminalProgressReporter implements ProgressReporter {
    private static final long MIB = 1024L * 1024L;
    private final PrintStream out;

    public TerminalProgressReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public Tracker start(String verb, String subject, long totalBytes) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(subject.replaceFirst("^for job ", ""))
                .setInitialMax(Math.max(1, totalBytes))
                .setUnit("MiB", MIB)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .setUpdateIntervalMillis(250)
                .build();
        return new Tracker() {
            @Override
            public void update(long bytesSoFar) {
                if (bytesSoFar > bar.getMax()) {
                    bar.maxHint(bytesSoFar);
                }
                bar.stepTo(bytesSoFar);
            }

            @Override
            public void finish() {
                bar.close();
            }
        };
    }

    /** True when a person is watching: stdout and stdin are a terminal. */
    public static boolean interactive() {
        return System.console() != null;
    }
}
