package dev.bbr.lab.director;

import dev.bbr.lab.LabRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Keeps every request in memory (for assertions) and appends it to requests.log (for humans and scripts). */
public final class RequestLog {
    private final List<LabRequest> requests = new ArrayList<>();
    private final Path file;
    /** Requests being handled: the client may already hold the response before the log line exists. */
    private int inFlight;

    public RequestLog(Path file) {
        this.file = file;
    }

    /** Called when a request arrives; {@link #add} ends it. */
    public synchronized void begin() {
        inFlight++;
    }

    public synchronized void add(LabRequest r) {
        inFlight = Math.max(0, inFlight - 1);
        notifyAll();
        requests.add(r);
        String line = String.format("%s %s %s %s auth=%s status=%d %dms%n", r.at(), r.listener(), r.method(),
                r.path() + (r.query() == null ? "" : "?" + r.query()), r.authKind(), r.status(), r.millis());
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the in-memory list is the source of truth for tests; a full disk must not break the Director
        }
    }

    /** Every logged request, once requests still being handled are logged too. */
    public synchronized List<LabRequest> snapshot() {
        awaitQuiet();
        return List.copyOf(requests);
    }

    /** Forgets what was logged, including requests that were still being handled. */
    public synchronized void clear() {
        awaitQuiet();
        requests.clear();
    }

    /**
     * Waits (up to 2 s) for requests still being handled: a response reaches the client before its
     * handler thread writes the log entry.
     */
    private void awaitQuiet() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (inFlight > 0 && System.nanoTime() < deadline) {
            try {
                wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
