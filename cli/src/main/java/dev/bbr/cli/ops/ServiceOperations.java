package dev.bbr.cli.ops;

import dev.bbr.app.BbrApp;
import dev.bbr.app.Environment;
import dev.bbr.cli.BbrVersion;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.core.exec.Workers;
import dev.bbr.service.BbrService;
import dev.bbr.service.ServiceValidation;
import dev.bbr.service.config.ConfigException;
import dev.bbr.service.config.ConfigLoader;
import dev.bbr.service.config.ServiceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code bbr service validate|run --config FILE}. A bad config is one line per problem on stderr and
 * exit 1. {@code run} stays in the foreground; SIGTERM, SIGINT and SIGHUP (unless started under
 * {@code nohup}) stop it gracefully, and it exits 0 once every running job has unlocked and cleaned up.
 */
public final class ServiceOperations {
    private ServiceOperations() {}

    public static int validate(Invocation invocation, Console console) {
        ServiceConfig config;
        try {
            config = load(invocation, console);
        } catch (ConfigException e) {
            e.problems().forEach(console.err()::println);
            return 1;
        }
        ServiceValidation.describe(config, Clock.systemUTC().instant()).forEach(console.out()::println);
        return 0;
    }

    public static int run(Invocation invocation, Console console) {
        ServiceConfig config;
        try {
            config = load(invocation, console);
        } catch (ConfigException e) {
            e.problems().forEach(console.err()::println);
            return 1;
        }
        // relative paths of the config (destination, keys) are relative to its directory, as in the file
        BbrApp app = new BbrApp(new Environment(console.env(), config.directory(),
                Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"), false, Workers.shared(),
                Clock.systemDefaultZone(), BbrVersion.get()));
        BbrService service;
        try {
            service = BbrService.start(config, app, console.out(), Clock.systemUTC(), BbrVersion.get());
        } catch (IOException e) {
            console.err().println("bbr service could not start: " + e.getMessage());
            return 1;
        }
        List<Signal> installed = new ArrayList<>();
        List<SignalHandler> previous = new ArrayList<>();
        SignalHandler stop = signal -> {
            // stop() waits for running jobs to clean up: never on the signal's own thread
            Thread stopper = new Thread(() -> service.stop("SIG" + signal.getName()), "bbr-service-stop");
            stopper.start();
        };
        for (String name : SignalGuard.startedWithSighupIgnored() ? List.of("TERM", "INT") : List.of("TERM", "INT", "HUP")) {
            try {
                Signal signal = new Signal(name);
                previous.add(Signal.handle(signal, stop));
                installed.add(signal);
            } catch (IllegalArgumentException e) {
                // the JVM reserves it here (-Xrs); its default stays
            }
        }
        try {
            service.awaitStopped();
        } finally {
            for (int i = 0; i < installed.size(); i++) {
                Signal.handle(installed.get(i), previous.get(i));
            }
        }
        return 0;
    }

    private static ServiceConfig load(Invocation invocation, Console console) throws ConfigException {
        return new ConfigLoader(console.env()).load(console.path(invocation.leafFlags().string(BbrCommands.CONFIG)));
    }
}
