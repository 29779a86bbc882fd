package dev.bbr.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where log lines go. While the SIGINT question waits for an answer, lines are held back so the
 * question stays the last thing on screen (as bbr does), then written in order. On a terminal the
 * lines go through the {@link LiveRegion}, so they never mix with the progress bars.
 */
public final class PausableOutput {
    private final PrintStream target;
    private final LiveRegion region;
    private final List<String> held = new ArrayList<>();
    private boolean paused;

    /** Plain lines to a stream (a file, a pipe, nohup's log). */
    public PausableOutput(PrintStream target) {
        this(target, null);
    }

    /** Lines to a terminal, above its live progress lines. */
    public PausableOutput(PrintStream target, LiveRegion region) {
        this.target = target;
        this.region = region;
    }

    /** The live region of this output's terminal, or null when it is not a terminal. */
    public LiveRegion region() {
        return region;
    }

    public synchronized void println(String line) {
        if (paused) {
            held.add(line);
        } else if (region != null) {
            region.println(line);
        } else {
            target.println(line);
            target.flush();
        }
    }

    public synchronized void pause() {
        paused = true;
        if (region != null) {
            region.pause();
        }
    }

    public synchronized void resume() {
        paused = false;
        if (region != null) {
            held.forEach(region::println);
            region.resume();
        } else {
            held.forEach(target::println);
            target.flush();
        }
        held.clear();
    }

    /** Writes past the pause: the question itself. */
    public synchronized void printDirect(String text) {
        if (region != null) {
            region.printDirect(text);
        } else {
            target.print(text);
            target.flush();
        }
    }
}
