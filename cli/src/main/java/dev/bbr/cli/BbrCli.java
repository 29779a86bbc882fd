package dev.bbr.cli;

import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.CommandDef;
import dev.bbr.cli.command.CommandLineFactory;
import dev.bbr.cli.command.FlagDef;
import dev.bbr.cli.command.HelpRenderer;
import dev.bbr.cli.command.Invocation;
import dev.bbr.cli.command.ResolvedFlags;
import dev.bbr.cli.command.UsageException;
import dev.bbr.cli.ops.CodecFlags;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.errors.ErrorReport;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line: parses, prints help, validates flags with bbr's messages, and hands a valid
 * invocation to its {@link Operation}.
 */
public final class BbrCli {
    private final Operations operations;

    public BbrCli(Operations operations) {
        this.operations = operations;
    }

    /** picocli's model of the whole command tree, used to generate shell completion. */
    public static CommandLine commandLine() {
        return new CommandLineFactory().root();
    }

    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        return new BbrCli(new DefaultOperations()).execute(args, new Console(in, out, err, env));
    }

    public int execute(String[] args, Console console) {
        CommandLineFactory factory = new CommandLineFactory();
        ParseResult parsed;
        try {
            parsed = factory.root().parseArgs(args);
        } catch (ParameterException e) {
            return incorrectUsage(e, factory, console);
        }
        try {
            return dispatch(parsed, factory, console);
        } catch (UsageException e) {
            console.out().println("Incorrect Usage. " + e.getMessage());
            console.out().println();
            return 1;
        } catch (RuntimeException e) {
            return unexpected(e, console);
        }
    }

    /**
     * The last line of defence (issue 11, bad-input catalogue): a failure no operation turned into an
     * error report still ends as bbr's one-error report on stderr, exit 1, with the stack trace only in
     * the err.log, never on the operator's terminal.
     */
    private static int unexpected(RuntimeException e, Console console) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage();
        dev.bbr.core.errors.ErrorReport report = new dev.bbr.core.errors.ErrorReport(java.util.List.of(
                dev.bbr.core.errors.BbrError.of(dev.bbr.core.errors.ErrorKind.GENERAL, message, e)));
        dev.bbr.cli.output.ErrorLogFile.write(console.workingDirectory(), java.time.Clock.systemUTC(),
                java.util.List.of(report), console.err());
        console.err().print(report.render(""));
        return 1;
    }

    private int dispatch(ParseResult root, CommandLineFactory factory, Console console) {
        CommandDef rootDef = BbrCommands.root();
        String version = BbrVersion.get();
        if (root.isVersionHelpRequested()) {
            console.out().println("bbr version " + version);
            return 0;
        }
        ParseResult familyResult = root.subcommand();
        if (root.isUsageHelpRequested() || familyResult == null) {
            console.out().print(HelpRenderer.app(rootDef, version));
            return 0;
        }
        String family = familyResult.commandSpec().name();
        switch (family) {
            case "help":
                console.out().print(HelpRenderer.app(rootDef, version));
                return 0;
            case "version":
                console.out().println("bbr version " + version);
                return 0;
            default:
                break;
        }
        CommandDef familyDef = factory.definitionOf(familyResult.commandSpec());
        String familyHelpName = "bbr " + family;
        ParseResult leafResult = familyResult.subcommand();
        if (helpRequested(familyResult)) {
            if (leafResult != null && leafResult.isUsageHelpRequested() && factory.definitionOf(leafResult.commandSpec()) != null) {
                console.out().print(HelpRenderer.leaf(factory.definitionOf(leafResult.commandSpec()),
                        familyHelpName + " " + leafResult.commandSpec().name()));
            } else {
                console.out().print(HelpRenderer.command(familyDef, familyHelpName));
            }
            return 0;
        }
        ResolvedFlags familyFlags = new ResolvedFlags(familyResult, console.env());
        if (BbrCommands.ARTIFACTS.equals(family)) {
            return dispatchArtifacts(familyDef, familyFlags, leafResult, factory, console);
        }
        if (BbrCommands.SERVICE.equals(family)) {
            return dispatchService(familyDef, familyFlags, leafResult, factory, console);
        }
        String invalid = "director".equals(family) ? validateDirector(familyFlags) : validateDeployment(familyFlags);
        if (invalid != null) {
            console.out().print(HelpRenderer.command(familyDef, familyHelpName));
            console.printRedError(invalid);
            return 1;
        }
        if (leafResult == null || "help".equals(leafResult.commandSpec().name())) {
            console.out().print(HelpRenderer.command(familyDef, familyHelpName));
            return 0;
        }
        CommandDef leafDef = factory.definitionOf(leafResult.commandSpec());
        Invocation invocation = new Invocation(family, familyDef, leafDef.name(), leafDef, familyFlags,
                new ResolvedFlags(leafResult, console.env()));
        Integer refused = refuseInvalidLeaf(invocation, console);
        if (refused != null) {
            return refused;
        }
        return operations.forInvocation(invocation).run(invocation, console);
    }

    /** {@code bbr artifacts …}: no Director, no flags to validate at the family level. */
    private int dispatchArtifacts(CommandDef familyDef, ResolvedFlags familyFlags, ParseResult leafResult,
            CommandLineFactory factory, Console console) {
        if (leafResult == null || "help".equals(leafResult.commandSpec().name())) {
            console.out().print(HelpRenderer.command(familyDef, "bbr " + familyDef.name()));
            return 0;
        }
        CommandDef leafDef = factory.definitionOf(leafResult.commandSpec());
        Invocation invocation = new Invocation(familyDef.name(), familyDef, leafDef.name(), leafDef, familyFlags,
                new ResolvedFlags(leafResult, console.env()));
        int expected = leafDef.argument().split(" ").length;
        if (invocation.leafFlags().arguments().size() < expected) {
            console.out().print(HelpRenderer.leaf(leafDef, invocation.helpName()));
            console.printRedError(leafDef.argument() + (expected == 1 ? " argument is" : " arguments are")
                    + " required.");
            return 1;
        }
        return operations.forInvocation(invocation).run(invocation, console);
    }

    /** {@code bbr service run|validate --config FILE}: no Director flags; the config names everything. */
    private int dispatchService(CommandDef familyDef, ResolvedFlags familyFlags, ParseResult leafResult,
            CommandLineFactory factory, Console console) {
        if (leafResult == null || "help".equals(leafResult.commandSpec().name())) {
            console.out().print(HelpRenderer.command(familyDef, "bbr " + familyDef.name()));
            return 0;
        }
        CommandDef leafDef = factory.definitionOf(leafResult.commandSpec());
        Invocation invocation = new Invocation(familyDef.name(), familyDef, leafDef.name(), leafDef, familyFlags,
                new ResolvedFlags(leafResult, console.env()));
        if (invocation.leafFlags().string(BbrCommands.CONFIG).isEmpty()) {
            console.out().print(HelpRenderer.leaf(leafDef, invocation.helpName()));
            console.printRedError("--config flag is required.");
            return 1;
        }
        return operations.forInvocation(invocation).run(invocation, console);
    }

    /** Checks bbr makes inside the subcommand's action, before anything is contacted. */
    private static Integer refuseInvalidLeaf(Invocation invocation, Console console) {
        String sub = invocation.subcommand();
        boolean allDeployments = !invocation.isDirector() && invocation.familyFlags().bool(BbrCommands.ALL_DEPLOYMENTS);
        if (sub.equals(BbrCommands.RESTORE)
                && invocation.leafFlags().string(BbrCommands.RESTORE_ARTIFACT_PATH).isEmpty()) {
            console.out().print(HelpRenderer.leaf(invocation.leafDef(), invocation.helpName()));
            console.printRedError("--artifact-path flag is required.");
            return 1;
        }
        if (allDeployments && sub.equals(BbrCommands.RESTORE_CLEANUP)) {
            // bbr accepts this and fails later with "Expected non-empty deployment name"; say what is wrong instead
            return reportError(console, "--all-deployments is not supported for " + sub
                    + "; name the deployment to clean up with '--deployment'.");
        }
        if (!allDeployments && invocation.leafDef().flags().contains(BbrCommands.SKIP_MISSING)
                && invocation.leafFlags().bool(BbrCommands.SKIP_MISSING)) {
            return reportError(console, "--skip-missing only applies to --all-deployments restore");
        }
        if (allDeployments && sub.equals(BbrCommands.BACKUP)
                && invocation.leafFlags().bool(BbrCommands.UNSAFE_LOCK_FREE)) {
            return reportError(console,
                    "Cannot use the --unsafe-lock-free flag in conjunction with the --all-deployments flag");
        }
        for (FlagDef counted : List.of(BbrCommands.MAX_IN_FLIGHT)) {
            if (invocation.leafDef().flags().contains(counted)) {
                invocation.leafFlags().positiveInt(counted);
            }
        }
        if (!invocation.isDirector()) {
            invocation.familyFlags().positiveInt(BbrCommands.MAX_DEPLOYMENTS);
        }
        invocation.familyFlags().choice(BbrCommands.LOG_FORMAT, BbrCommands.LOG_FORMATS);
        if (sub.equals(BbrCommands.BACKUP)) {
            invocation.leafFlags().byteSize(BbrCommands.MIN_FREE_SPACE); // a typo must not start a backup
            try {
                CodecFlags.codec(invocation.leafFlags(), console.workingDirectory());
            } catch (IllegalArgumentException | java.io.IOException e) {
                // before anything is contacted: a backup nobody could decrypt must not start
                return reportError(console, e.getMessage());
            }
            String layout = invocation.leafFlags().string(BbrCommands.LAYOUT);
            try {
                if (dev.bbr.artifacts.store.Layout.parse(layout) == dev.bbr.artifacts.store.Layout.DATED
                        && !invocation.leafFlags().string(BbrCommands.BACKUP_ARTIFACT_PATH).matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
                    return reportError(console, "--layout dated is for s3://, azure:// and sftp:// artifact paths; a"
                            + " local --artifact-path holds backups flat, as bbr");
                }
            } catch (IllegalArgumentException e) {
                return reportError(console, "--layout: " + e.getMessage());
            }
        }
        return null;
    }

    private static int reportError(Console console, String message) {
        ErrorReport report = new ErrorReport(List.of(BbrError.of(ErrorKind.GENERAL, message)));
        console.err().println(report.render(""));
        return report.exitCode();
    }

    private static boolean helpRequested(ParseResult familyResult) {
        ParseResult level = familyResult;
        while (level != null) {
            if (level.isUsageHelpRequested()) {
                return true;
            }
            level = level.subcommand();
        }
        return false;
    }

    static String validateDeployment(ResolvedFlags flags) {
        if (flags.string(BbrCommands.TARGET).isEmpty()) {
            return "--target flag is required.";
        }
        if (flags.string(BbrCommands.USERNAME).isEmpty()) {
            return "--username flag is required.";
        }
        if (flags.string(BbrCommands.PASSWORD).isEmpty()) {
            return "--password flag is required.";
        }
        boolean named = !flags.string(BbrCommands.DEPLOYMENT).isEmpty();
        if (named == flags.bool(BbrCommands.ALL_DEPLOYMENTS)) {
            return "provide one of '--deployment' or '--all-deployments' flags.";
        }
        return null;
    }

    static String validateDirector(ResolvedFlags flags) {
        if (flags.string(BbrCommands.HOST).isEmpty()) {
            return "--host flag is required.";
        }
        if (flags.string(BbrCommands.DIRECTOR_USERNAME).isEmpty()) {
            return "--username flag is required.";
        }
        if (flags.string(BbrCommands.PRIVATE_KEY_PATH).isEmpty()) {
            return "--private-key-path flag is required.";
        }
        return null;
    }

    private static int incorrectUsage(ParameterException e, CommandLineFactory factory, Console console) {
        CommandLine where = e.getCommandLine();
        CommandDef def = factory.definitionOf(where.getCommandSpec());
        String helpName = helpNameOf(where);
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-") && def != null && !def.isLeaf()) {
            // An unknown command. The Go bbr exits 0 here; we exit 1 so a typo in a pipeline fails it.
            console.out().println("Error command '" + unmatched.getUnmatched().get(0) + "' not found");
            console.out().println();
            console.out().print(def.name().equals("bbr")
                    ? HelpRenderer.app(BbrCommands.root(), BbrVersion.get())
                    : HelpRenderer.command(def, helpName));
            return 1;
        }
        console.out().println("Incorrect Usage. " + goStyleMessage(e));
        console.out().println();
        if (def != null) {
            console.out().print(def.name().equals("bbr")
                    ? HelpRenderer.app(BbrCommands.root(), BbrVersion.get())
                    : def.isLeaf() ? HelpRenderer.leaf(def, helpName) : HelpRenderer.command(def, helpName));
        }
        return 1;
    }

    /** The wording of Go's flag package, which is what the Go bbr prints after "Incorrect Usage.". */
    private static String goStyleMessage(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            if (arg.startsWith("-")) {
                String name = arg.replaceFirst("^-+", "").replaceFirst("=.*$", "");
                return "flag provided but not defined: -" + name;
            }
            return "unexpected argument '" + arg + "'";
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0).isOption()) {
            String longest = ((picocli.CommandLine.Model.OptionSpec) missing.getMissing().get(0)).longestName();
            return "flag needs an argument: -" + longest.replaceFirst("^-+", "");
        }
        return e.getMessage();
    }

    private static String helpNameOf(CommandLine commandLine) {
        StringBuilder name = new StringBuilder();
        for (CommandLine c = commandLine; c != null; c = c.getParent()) {
            name.insert(0, name.length() == 0 ? c.getCommandName() : c.getCommandName() + " ");
        }
        return name.toString();
    }
}
