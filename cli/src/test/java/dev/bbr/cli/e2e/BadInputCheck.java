package dev.bbr.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.e2e.FaultCheck.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the bad-input catalogue: bbr must refuse with its documented exit code, say what is
 * wrong in one line that the operator can act on (the {@code line} fragment must sit on a single
 * line of stdout or stderr), print no stack trace, and leave every VM as it found it: no lock or
 * other bbr script run (only the read-only {@code metadata} of discovery may run), no temporary
 * user, no {@code /var/vcap/store/bbr-backup}. A {@link #accepted} row is an odd input that bbr must
 * handle correctly rather than refuse (exit 0 and the invariants).
 */
final class BadInputCheck {
    private final String id;
    private final String input;
    private String command = "";
    private int exit = 1;
    private String line;
    private boolean scriptsMayRun;
    private final List<String> extraProblems = new ArrayList<>();

    private BadInputCheck(String id, String input) {
        this.id = id;
        this.input = input;
    }

    static BadInputCheck input(String id, String input) {
        return new BadInputCheck(id, input);
    }

    BadInputCheck command(String command) {
        this.command = command;
        return this;
    }

    /** The message fragment that names what is wrong; it must be found within one output line. */
    BadInputCheck says(String line) {
        this.line = line;
        return this;
    }

    BadInputCheck exit(int code) {
        this.exit = code;
        return this;
    }

    /** An odd but legitimate input: bbr must succeed (exit 0) and leave nothing behind. */
    BadInputCheck accepted() {
        this.exit = 0;
        return this;
    }

    /** The input is only seen once the scripts run (their output): locks may run, the invariants must hold. */
    BadInputCheck scriptsMayRun() {
        this.scriptsMayRun = true;
        return this;
    }

    BadInputCheck problemIf(boolean failed, String problem) {
        if (failed) {
            extraProblems.add(problem);
        }
        return this;
    }

    void verify(Outcome outcome, ReliabilityLab rl) {
        List<String> problems = new ArrayList<>(extraProblems);
        if (outcome.exit() != exit) {
            problems.add("exit " + outcome.exit() + ", expected " + exit);
        }
        if (line != null && (outcome.out() + "\n" + outcome.err()).lines().noneMatch(l -> l.contains(line))) {
            problems.add("no line says: " + line);
        }
        problems.addAll(FaultCheck.stackTraceProblems(outcome));
        List<String> touched = touched(rl, exit == 0 || scriptsMayRun);
        problems.addAll(touched);
        String said = line == null ? "" : " — \"" + line + "\"";
        ReliabilityMatrix.record("bad-inputs", new ReliabilityMatrix.Row(id, input, command,
                outcome.exit() + (problems.isEmpty() ? "" : " (expected " + exit + ")"),
                problems.isEmpty() ? (exit == 0 ? "handled, invariants held" : "refused, nothing touched") + said
                        : "FAILED: " + String.join("; ", problems)));
        assertThat(problems).as(id + " " + input + "\n" + outcome.describe()).isEmpty();
    }

    /** What the run left or did on the VMs that a refused input must not. */
    private static List<String> touched(ReliabilityLab rl, boolean ranThrough) {
        List<String> problems = new ArrayList<>(rl.invariants.violations(null));
        if (ranThrough) {
            return problems;
        }
        for (String deployment : List.of(ReliabilityLab.DEP, "alpha", "beta", dev.bbr.lab.Lab.DIRECTOR_VM)) {
            BackupE2eSupport.calls(rl.lab, deployment).stream().filter(c -> !c.script().equals("metadata"))
                    .forEach(c -> problems.add("ran " + c.job() + "/" + c.script() + " on " + c.instance()));
            if (!BackupE2eSupport.lockEvents(rl.lab, deployment).isEmpty()) {
                problems.add("locked a job of " + deployment);
            }
        }
        return problems;
    }
}
