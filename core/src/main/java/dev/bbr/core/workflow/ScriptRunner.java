package dev.bbr.core.workflow;

import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.Failures;
import dev.bbr.core.event.PhaseFinished;
import dev.bbr.core.event.PhaseStarted;
import dev.bbr.core.event.ScriptFailed;
import dev.bbr.core.event.ScriptFinished;
import dev.bbr.core.event.ScriptStarted;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.LevelExecutor;
import dev.bbr.core.log.Log;
import dev.bbr.core.model.InstanceJob;
import dev.bbr.core.order.LockOrder;
import dev.bbr.core.remote.ExecResult;
import dev.bbr.core.remote.InstanceCommands;
import dev.bbr.core.remote.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Runs one phase's scripts on jobs, logging and wording results as bbr does. */
final class ScriptRunner {
    private final Log log;
    private final LevelExecutor executor;
    private final String stoppableRunId;
    private final Cancellation cancellation;

    /** A runner whose scripts always run to their end (unlock, cleanup). */
    ScriptRunner(Log log, LevelExecutor executor) {
        this(log, executor, null, new Cancellation());
    }

    /**
     * A runner whose scripts are tagged with the run id, so that {@link RemoteStop} can stop them
     * when {@code cancellation} fires (lock, backup, restore).
     */
    ScriptRunner(Log log, LevelExecutor executor, String stoppableRunId, Cancellation cancellation) {
        this.log = log;
        this.executor = executor;
        this.stoppableRunId = stoppableRunId;
        this.cancellation = cancellation;
    }

    /** Runs the phase level by level (jobs without the script are silent no-ops). */
    List<BbrError> runLevels(Phase phase, LockOrder order, Function<InstanceJob, Map<String, String>> env) {
        log.emit(new PhaseStarted(phase.phaseName()));
        List<List<LevelExecutor.Task>> levels = new ArrayList<>();
        for (List<InstanceJob> level : order.levels()) {
            List<LevelExecutor.Task> tasks = level.stream().filter(j -> j.job().has(phase.script()))
                    .map(j -> (LevelExecutor.Task) () -> run(phase, j, env.apply(j))).toList();
            if (!tasks.isEmpty()) {
                levels.add(tasks);
            }
        }
        List<BbrError> errors = executor.runLevels(levels, phase.errorKind());
        log.emit(new PhaseFinished(phase.phaseName()));
        return errors;
    }

    /** Runs the script of one job; returns the error, if any. */
    List<BbrError> run(Phase phase, InstanceJob target, Map<String, String> env) {
        return run(phase, target, env, null, UnaryOperator.identity());
    }

    /**
     * As {@link #run(Phase, InstanceJob, Map)} with the command built by {@code command} from the
     * script's path (the backup step wraps the script, see {@link InstanceCommands#backupStep}) and a
     * filter that takes what the wrapping printed out of the result before anything is logged or judged.
     */
    List<BbrError> run(Phase phase, InstanceJob target, Function<String, String> command,
            UnaryOperator<ExecResult> scriptOutput) {
        return run(phase, target, Map.of(), command, scriptOutput);
    }

    private List<BbrError> run(Phase phase, InstanceJob target, Map<String, String> env,
            Function<String, String> commandFor, UnaryOperator<ExecResult> scriptOutput) {
        String job = target.job().name();
        String instance = target.instance().identifier();
        String script = phase.script().fileName();
        String path = target.job().scriptPath(phase.script());
        long started = System.nanoTime();
        log.emit(new ScriptStarted(script, job, instance, phase.starting(job, instance)));
        log.debug("> " + path);
        String command = commandFor != null ? commandFor.apply(path)
                : InstanceCommands.runScript(path, env, stoppableRunId);
        log.debug("Trying to execute '" + command + "' on remote");
        try {
            ExecResult result = scriptOutput.apply(target.instance().shell().runScript(command));
            logOutput(result, false);
            if (result.succeeded()) {
                log.emit(new ScriptFinished(script, job, instance, phase.finished(job, instance), millisSince(started)));
                return List.of();
            }
            BbrError error = BbrError.of(phase.errorKind(), phase.errorMessage(job, instance, stopped()
                    ? "stopped because the run was cancelled (" + result.failureText().strip() + ")"
                    : result.failureText()) + outOfSpace(result, instance));
            failed(phase, script, job, instance, error, started);
            logOutput(result, true);
            return List.of(error);
        } catch (RemoteException e) {
            if (stopped()) {
                BbrError error = BbrError.of(phase.errorKind(), phase.errorMessage(job, instance,
                        "stopped because the run was cancelled: " + e.getMessage()), e);
                failed(phase, script, job, instance, error, started);
                return List.of(error);
            }
            if (e.getMessage() != null && e.getMessage().startsWith("ssh session ended before returning an exit code")) {
                log.error("Did the network just fail? It looks like my ssh session to " + target.instance().shell()
                        .address() + " ended suddenly without getting an exit status from the remote VM.");
            }
            BbrError error = BbrError.of(phase.errorKind(), phase.errorMessage(job, instance, e.getMessage()), e);
            failed(phase, script, job, instance, error, started);
            return List.of(error);
        } catch (RuntimeException e) {
            BbrError error = BbrError.of(phase.errorKind(), phase.errorMessage(job, instance, Failures.describe(e)), e);
            failed(phase, script, job, instance, error, started);
            return List.of(error);
        }
    }

    /**
     * A script that ran out of disk says so in its own words, somewhere in its stderr; the operator
     * should not have to dig for which instance it was (issue 18).
     */
    private static String outOfSpace(ExecResult result, String instance) {
        return result.stderr().contains("No space left on device") || result.stdoutText().contains("No space left on device")
                ? " (instance " + instance + " ran out of disk space)" : "";
    }

    private void failed(Phase phase, String script, String job, String instance, BbrError error, long started) {
        log.emit(new ScriptFailed(script, job, instance, phase.failed(job, instance), error.message(),
                millisSince(started)));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** This runner's scripts were stopped on purpose: the operator cancelled the run. */
    private boolean stopped() {
        return stoppableRunId != null && cancellation.isCancelled();
    }

    private void logOutput(ExecResult result, boolean failed) {
        String stdout = result.stdoutText().strip();
        String stderr = result.stderr().strip();
        if (failed) {
            if (!stdout.isEmpty()) {
                log.error("stdout: " + stdout);
            }
            if (!stderr.isEmpty()) {
                log.error("stderr: " + stderr);
            }
        } else {
            log.debug("stdout: " + stdout);
            log.debug("stderr: " + stderr);
        }
    }
}
