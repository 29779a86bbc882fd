package dev.bbr.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where log lines go. While the SIGINT question waits for an answer, lines are held back so the
 * question stays the last thing on screen (as bbr does), then written in order.
 */
public final class PausableOutput {
    private final PrintStream target;
    private final List<String> held = new ArrayList<>();
    private boolean paused;

    public PausableOutput(PrintStream target) {
        this.target = target;
    }

    public synchronized void println(String line) {
        if (paused) {
            held.add(line);
        } else {
            target.println(line);
            target.flush();
        }
    }

    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        held.forEach(target::println);
        held.clear();
        target.flush();
    }

    /** Writes past the pause: the question itself. */
    public synchronized void printDirect(String text) {
        target.print(text);
        target.flush();
    }
}
