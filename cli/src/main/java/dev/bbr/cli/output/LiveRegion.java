package dev.bbr.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bottom of a terminal: one live line per transfer in flight, redrawn in place, with every other
 * line (bbr's log lines, a finished transfer's last frame) printed above it. Before anything is
 * printed the live lines are erased and afterwards redrawn, so a log line never lands inside a bar
 * and a bar never lands inside the log. While bbr's Ctrl-C question waits for an answer the live
 * lines are hidden and kept up to date silently, so the question stays the last thing on screen.
 *
 * <p>Only used when stdout is a terminal; the text of a live line must fit the terminal's width
 * (the progress bar library renders to that width), or the cursor arithmetic would be off.
 */
public final class LiveRegion {
    private static final String ERASE_BELOW = "\u001b[J";

    private final PrintStream out;
    private final Map<Object, String> live = new LinkedHashMap<>();
    private int drawn;
    private boolean paused;

    public LiveRegion(PrintStream out) {
        this.out = out;
    }

    /** A permanent line above the live lines. */
    public synchronized void println(String line) {
        erase();
        out.println(line);
        redraw();
    }

    /** Text printed as is (bbr's question), with the live lines out of the way. */
    public synchronized void printDirect(String text) {
        erase();
        out.print(text);
        out.flush();
    }

    /** Adds or updates the live line of {@code key}. */
    public synchronized void set(Object key, String text) {
        live.put(key, text);
        if (!paused) {
            erase();
            redraw();
        }
    }

    /** Ends the live line of {@code key}: its last text becomes a permanent line. */
    public synchronized void finish(Object key, String lastText) {
        live.remove(key);
        erase();
        if (lastText != null && !lastText.isEmpty()) {
            out.println(lastText);
        }
        redraw();
    }

    /** Hides the live lines until {@link #resume()}; updates are kept, not drawn. */
    public synchronized void pause() {
        erase();
        paused = true;
        out.flush();
    }

    public synchronized void resume() {
        paused = false;
        redraw();
    }

    /** The live lines as they would be drawn now (for tests). */
    synchronized List<String> liveLines() {
        return new ArrayList<>(live.values());
    }

    /** Moves to the first live line and clears everything below; the cursor is then where it was. */
    private void erase() {
        if (drawn > 0) {
            out.print("\r\u001b[" + drawn + "A" + ERASE_BELOW);
            drawn = 0;
        }
    }

    private void redraw() {
        if (!paused) {
            for (String line : live.values()) {
                out.print(line);
                out.print('\n');
            }
            drawn = live.size();
        }
        out.flush();
    }
}
