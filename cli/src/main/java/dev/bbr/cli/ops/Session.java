package dev.bbr.cli.ops;

import dev.bbr.app.BbrApp;
import dev.bbr.app.DirectorLogin;
import dev.bbr.app.Environment;
import dev.bbr.app.Target;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.cli.BbrVersion;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.cli.output.JsonRenderer;
import dev.bbr.cli.output.LiveRegion;
import dev.bbr.cli.output.PausableOutput;
import dev.bbr.cli.output.TerminalProgressReporter;
import dev.bbr.cli.output.TextRenderer;
import dev.bbr.core.drain.LogProgressReporter;
import dev.bbr.core.drain.ProgressReporter;
import dev.bbr.core.event.StatusLine;
import dev.bbr.core.exec.Cancellation;
import dev.bbr.core.exec.Workers;
import dev.bbr.core.log.Log;
import dev.bbr.core.workflow.RunContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * One command line's run: the application with this process's environment, where events are rendered
 * (bbr's text, or JSON lines with {@code --log-format json}), how it is stopped, and the target the
 * flags name. Everything an operation needs, built from the parsed command line.
 */
final class Session {
    final Invocation invocation;
    final Console console;
    final PausableOutput output;
    final Log log;
    final Cancellation cancellation = new Cancellation();
    final String runId = RunContext.newRunId();
    final BbrApp app;
    final int maxInFlight;
    private final boolean debug;
    private final boolean json;

    Session(Invocation invocation, Console console) {
        this.invocation = invocation;
        this.console = console;
        this.debug = invocation.familyFlags().bool(BbrCommands.DEBUG);
        this.json = "json".equals(invocation.familyFlags().string(BbrCommands.LOG_FORMAT));
        // live bars for a person at a terminal; bbr's percentage lines under nohup, in pipelines, with --debug
        this.output = !json && TerminalProgressReporter.interactive() && !debug
                ? new PausableOutput(console.out(), new LiveRegion(console.out()))
                : new PausableOutput(console.out());
        this.log = renderer(output, console.err(), Map.of());
        this.maxInFlight = invocation.leafDef().flags().contains(BbrCommands.MAX_IN_FLIGHT)
                ? invocation.leafFlags().positiveInt(BbrCommands.MAX_IN_FLIGHT) : BbrCommands.DEFAULT_MAX_IN_FLIGHT;
        this.app = new BbrApp(new Environment(console.env(), console.workingDirectory(),
                Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"), debug, Workers.shared(),
                Clock.systemDefaultZone(), BbrVersion.get()));
    }

    /** Renders events the way this command line asked: to {@code out}, the error report to {@code err}. */
    Log renderer(PausableOutput out, PrintStream err, Map<String, Object> context) {
        return json ? new JsonRenderer(debug, out, Clock.systemUTC(), runId, context)
                : new TextRenderer(debug, out, err, Clock.systemDefaultZone());
    }

    /** A log file of one deployment ({@code --all-deployments}), in the same format. */
    Log fileLog(String deployment, OutputStream file) {
        return renderer(new PausableOutput(new PrintStream(file, true, StandardCharsets.UTF_8)), null,
                Map.of("deployment", deployment));
    }

    /** The run as core sees it: this session's events, cancellation and progress. */
    RunContext run() {
        return new RunContext(runId, log, cancellation, progress(), Clock.systemDefaultZone(), Workers.shared());
    }

    private ProgressReporter progress() {
        return output.region() != null ? new TerminalProgressReporter(output.region()) : new LogProgressReporter(log);
    }

    /** The backup's codec from its flags (already checked before the run started). */
    ArtifactCodec codec() {
        try {
            return CodecFlags.codec(invocation.leafFlags(), console.workingDirectory());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Where backups go under a remote location ({@code --layout}; local paths are always flat). */
    Layout layout() {
        return invocation.leafDef().flags().contains(BbrCommands.LAYOUT)
                ? Layout.parse(invocation.leafFlags().string(BbrCommands.LAYOUT)) : Layout.FLAT;
    }

    boolean directorMode() {
        return invocation.isDirector();
    }

    /** The deployment or the Director VM the flags name. */
    Target target() {
        if (directorMode()) {
            return new Target.DirectorVm(invocation.familyFlags().string(BbrCommands.HOST),
                    invocation.familyFlags().string(BbrCommands.DIRECTOR_USERNAME),
                    invocation.familyFlags().string(BbrCommands.PRIVATE_KEY_PATH));
        }
        return new Target.Deployment(director(), invocation.familyFlags().string(BbrCommands.DEPLOYMENT));
    }

    DirectorLogin director() {
        return new DirectorLogin(invocation.familyFlags().string(BbrCommands.TARGET),
                invocation.familyFlags().string(BbrCommands.USERNAME),
                invocation.familyFlags().string(BbrCommands.PASSWORD),
                invocation.familyFlags().string(BbrCommands.CA_CERT));
    }

    /** A plain stdout line (bbr's status lines, advice). */
    void status(String text, String kind, String subject) {
        log.emit(new StatusLine(text, kind, subject));
    }
}
