package dev.bbr.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One row of the fault matrix: what a run must have done after a fault (its documented exit code,
 * the advice when bbr leaves something for a cleanup command, no stack trace), then the
 * {@link Invariants}, after that cleanup command when there is one. The row is recorded whatever
 * the verdict, and the test fails with everything seen when anything does not hold.
 */
final class FaultCheck {
    /** What must be under the artifact path afterwards. */
    enum Artifact { COMPLETE, INCOMPLETE, NONE, ANY }

    /** A finished command: exit code and output. */
    record Outcome(int exit, String out, String err) {
        static Outcome of(CliRun run) {
            return new Outcome(run.exitCode(), run.out(), run.err());
        }

        String describe() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private final String table;
    private final String id;
    private final String fault;
    private String command = "";
    private int[] exits = {0};
    private String advice;
    private String cleanupCommand;
    private Supplier<Outcome> cleanup;
    private Artifact artifact = Artifact.ANY;
    private final List<String> extraProblems = new ArrayList<>();

    private FaultCheck(String table, String id, String fault) {
        this.table = table;
        this.id = id;
        this.fault = fault;
    }

    static FaultCheck fault(String id, String fault) {
        return new FaultCheck("faults", id, fault);
    }

    static FaultCheck interruption(String id, String fault) {
        return new FaultCheck("interruptions", id, fault);
    }

    FaultCheck command(String command) {
        this.command = command;
        return this;
    }

    /** The documented exit code (several when the run may legitimately end either way). */
    FaultCheck exits(int... codes) {
        this.exits = codes;
        return this;
    }

    /** The advice bbr must print (stdout or stderr). */
    FaultCheck advice(String advice) {
        this.advice = advice;
        return this;
    }

    /** bbr's contract leaves state here: {@code cleanup} (expected to exit 0) must restore the invariants. */
    FaultCheck thenCleanup(String command, Supplier<Outcome> cleanup) {
        this.cleanupCommand = command;
        this.cleanup = cleanup;
        return this;
    }

    FaultCheck artifact(Artifact expected) {
        this.artifact = expected;
        return this;
    }

    /** A fault-specific expectation that did not hold (recorded with the rest). */
    FaultCheck problemIf(boolean failed, String problem) {
        if (failed) {
            extraProblems.add(problem);
        }
        return this;
    }

    /** Checks everything, records the row, and fails the test if anything did not hold. */
    void verify(Outcome outcome, Invariants invariants, Path artifactRoot) {
        List<String> problems = new ArrayList<>(extraProblems);
        if (Arrays.stream(exits).noneMatch(e -> e == outcome.exit())) {
            problems.add("exit " + outcome.exit() + ", expected " + expected());
        }
        problems.addAll(stackTraceProblems(outcome));
        if (advice != null && !(outcome.out() + outcome.err()).contains(advice)) {
            problems.add("the advice was not printed: " + advice);
        }
        problems.addAll(artifactProblems(artifactRoot));
        String cleanupSeen = "";
        if (cleanup != null) {
            Outcome c = cleanup.get();
            cleanupSeen = "\n--- " + cleanupCommand + " ---\n" + c.describe();
            if (c.exit() != 0) {
                problems.add(cleanupCommand + " exited " + c.exit());
            }
        }
        List<String> violations = invariants.violations(artifactRoot);
        problems.addAll(violations);
        String held = !violations.isEmpty() ? "VIOLATED: " + String.join("; ", violations)
                : cleanup == null ? "held" : "held after `" + cleanupCommand + "`";
        ReliabilityMatrix.record(table, new ReliabilityMatrix.Row(id, fault, command,
                outcome.exit() + (problems.isEmpty() ? "" : " (expected " + expected() + ")"),
                problems.isEmpty() ? held : "FAILED: " + String.join("; ", problems)));
        assertThat(problems).as(id + " " + fault + "\n" + outcome.describe() + cleanupSeen).isEmpty();
    }

    private String expected() {
        return Arrays.stream(exits).mapToObj(Integer::toString).collect(Collectors.joining(" or "));
    }

    /** Operators get messages, never stack traces (those go to the err.log). */
    static List<String> stackTraceProblems(Outcome outcome) {
        List<String> problems = new ArrayList<>();
        for (String stream : List.of(outcome.out(), outcome.err())) {
            if (stream.contains("\tat ") || stream.contains("Exception in thread") || stream.contains("Caused by: ")) {
                problems.add("a stack trace was printed");
                break;
            }
        }
        return problems;
    }

    private List<String> artifactProblems(Path root) {
        if (root == null || artifact == Artifact.ANY) {
            return List.of();
        }
        List<Path> backups;
        try {
            backups = Files.isDirectory(root) ? Invariants.backups(root) : List.of();
        } catch (java.io.IOException e) {
            return List.of("cannot list " + root);
        }
        return switch (artifact) {
            case NONE -> backups.isEmpty() ? List.of() : List.of("a backup directory was created: " + backups);
            case COMPLETE -> backups.size() == 1 && !Files.exists(backups.get(0).resolve("BACKUP-INCOMPLETE"))
                    ? List.of() : List.of("expected one complete backup, found " + describe(backups));
            case INCOMPLETE -> backups.size() == 1 && Files.exists(backups.get(0).resolve("BACKUP-INCOMPLETE"))
                    ? List.of() : List.of("expected one backup marked incomplete, found " + describe(backups));
            case ANY -> List.of();
        };
    }

    private static String describe(List<Path> backups) {
        return backups.stream().map(b -> b.getFileName() + (Files.exists(b.resolve("BACKUP-INCOMPLETE"))
                ? " (incomplete)" : " (no marker)")).toList().toString();
    }
}
