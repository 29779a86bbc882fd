package dev.bbr.cli.ops;

import dev.bbr.core.errors.Advice;
import dev.bbr.core.event.OperatorPrompt;
import dev.bbr.core.exec.Cancellation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What Ctrl-C, SIGTERM and SIGHUP do during a run.
 *
 * <p>SIGINT pauses the log and asks bbr's question; {@code yes} stops new work, and the workflow
 * then unlocks what it locked and cleans up before exiting 1 (bbr exits at once, leaving jobs
 * locked). SIGTERM and SIGHUP act like {@code yes} without asking, so a closed tmux pane or a
 * {@code kill} leaves nothing locked. SIGHUP is left alone when the process started with it
 * ignored, which is what {@code nohup} does.
 */
final class SignalGuard implements AutoCloseable {
    enum Flavour {
        BACKUP("backup", Advice.BACKUP_CLEANUP),
        RESTORE("restore", Advice.RESTORE_CLEANUP);

        final String noun;
        final String advice;

        Flavour(String noun, String advice) {
            this.noun = noun;
            this.advice = advice;
        }

        String question() {
            return "Stopping a " + noun + " can leave the system in bad state. Are you sure you want to cancel?"
                    + " [yes/no]";
        }
    }

    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private SignalGuard() {}

    static SignalGuard install(Session context, Cancellation cancellation, Flavour flavour) {
        SignalGuard guard = new SignalGuard();
        AtomicBoolean asking = new AtomicBoolean();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(context.console.in(), StandardCharsets.UTF_8));
        guard.handle("INT", signal -> {
            if (!asking.compareAndSet(false, true)) {
                return;
            }
            try {
                context.output.pause();
                context.log.emit(new OperatorPrompt("\n" + flavour.question() + "\n"));
                String answer = readLine(stdin);
                if (answer == null) {
                    context.log.emit(new OperatorPrompt("\nCouldn't read from Stdin, if you still want to stop the "
                            + flavour.noun + " send SIGTERM.\n"));
                } else if (answer.trim().equalsIgnoreCase("yes")) {
                    cancellation.cancel();
                    context.log.info("Stopping: no new work starts; unlocking what was locked and cleaning up"
                            + " before exit.");
                }
            } finally {
                context.output.resume();
                asking.set(false);
            }
        });
        SignalHandler stop = signal -> {
            cancellation.cancel();
            context.log.info("Received SIG" + signal.getName() + ": no new work starts; unlocking what was locked"
                    + " and cleaning up before exit.");
        };
        guard.handle("TERM", stop);
        if (!startedWithSighupIgnored()) {
            guard.handle("HUP", stop);
        }
        return guard;
    }

    private void handle(String name, SignalHandler handler) {
        try {
            Signal signal = new Signal(name);
            previous.add(Signal.handle(signal, handler));
            installed.add(signal);
        } catch (IllegalArgumentException e) {
            // the JVM reserves the signal here (e.g. -Xrs); the default behaviour stays
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** Linux: bit 0 of SigIgn in /proc/self/status is SIGHUP. Elsewhere assume not ignored. */
    static boolean startedWithSighupIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & 1L) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            try {
                Signal.handle(installed.get(i), previous.get(i));
            } catch (IllegalArgumentException e) {
                // nothing to restore
            }
        }
    }
}
