package dev.bbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BbrCliTest {
    private static final String RED = "\u001b[31m";
    private static final Map<String, String> NO_ENV = Map.of();
    private static final String[] CREDS = {"--target", "10.0.0.6", "--username", "admin", "--password", "s3cret"};
    private static final String[] DEPLOYMENT_CREDS = concat(new String[] {"deployment"}, CREDS);

    private final List<Invocation> invoked = new ArrayList<>();
    private final Operations recording = inv -> (i, console) -> {
        invoked.add(i);
        return 0;
    };

    private CliRun bbr(String... args) {
        return CliRun.run(recording, NO_ENV, args);
    }

    /** The real operations (for commands that touch only local files). */
    private static CliRun real(String... args) {
        return CliRun.run(null, NO_ENV, args);
    }

    private CliRun bbrWithEnv(Map<String, String> env, String... args) {
        return CliRun.run(recording, env, args);
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void noArgumentsHelpAndHPrintTheAppHelp() {
        for (String[] args : List.of(new String[0], new String[] {"help"}, new String[] {"h"}, new String[] {"--help"})) {
            CliRun run = bbr(args);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("USAGE:\n   bbr command [command options] [subcommand] [subcommand options]")
                    .contains("SUBCOMMANDS:\n   backup\n   backup-cleanup\n   restore\n   restore-cleanup\n"
                            + "   pre-backup-check")
                    .contains("deployment  Backup BOSH deployments")
                    .contains("director    Backup BOSH director");
        }
    }

    @Test
    void versionPrintsTheVersionInEveryForm() {
        for (String arg : List.of("version", "v", "--version", "-v")) {
            CliRun run = bbr(arg);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).isEqualTo("bbr version " + BbrVersion.get() + "\n");
        }
        assertThat(BbrVersion.get()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void unknownCommandNamesItAndPrintsTheHelp() {
        CliRun run = bbr("rubbish");
        assertThat(run.out()).startsWith("Error command 'rubbish' not found\n\nNAME:\n   bbr - BOSH Backup and Restore");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void deploymentHelpListsFlagsInBbrsOrderAndTheFiveSubcommands() {
        CliRun run = bbr("deployment", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsSubsequence("--target", "BOSH Director URL", "BOSH_ENVIRONMENT",
                "--username", "BOSH Director username", "BOSH_CLIENT",
                "--password", "BOSH Director password", "BOSH_CLIENT_SECRET",
                "--deployment", "Name of BOSH deployment. Omit if '--all-deployments' is provided", "BOSH_DEPLOYMENT",
                "--ca-cert", "Path or value of BOSH Director custom CA certificate", "CA_CERT", "BOSH_CA_CERT",
                "--debug", "Enable debug logs",
                "--all-deployments", "Run command for all deployments. Omit if '--deployment' is provided. Currently"
                        + " only supported for: pre-backup-check, backup and backup-cleanup");
        assertThat(run.out()).contains("pre-backup-check, c", "backup, b", "restore, r", "backup-cleanup",
                "restore-cleanup", "help, h");
        assertThat(run.out()).contains("--target value, -t value");
    }

    @Test
    void helpSkipsValidationAtEveryLevel() {
        assertThat(bbr("deployment", "backup", "--help").out())
                .startsWith("NAME:\n   bbr deployment backup - Backup a deployment")
                .contains("--with-manifest", "--artifact-path value, -a value", "--unsafe-lock-free");
        assertThat(bbr("deployment", "restore", "-h").out()).contains("Path to the artifact to restore");
        assertThat(bbr("director", "--help").out()).contains("--host value", "--private-key-path value, --key value",
                "BOSH Director hostname, with an optional port. Port defaults to 22");
        assertThat(invoked).isEmpty();
    }

    @Test
    void deploymentRequiresTargetUsernamePasswordInThatOrder() {
        assertValidationError(bbr("deployment", "backup"), "--target flag is required.");
        assertValidationError(bbr("deployment", "-t", "x", "backup"), "--username flag is required.");
        assertValidationError(bbr("deployment", "-t", "x", "-u", "y", "backup"), "--password flag is required.");
        assertValidationError(bbr("deployment", "--target", "", "-u", "y", "-p", "z", "-d", "d", "backup"),
                "--target flag is required.");
        assertThat(invoked).isEmpty();
    }

    @Test
    void deploymentNeedsExactlyOneOfDeploymentAndAllDeployments() {
        assertValidationError(bbr(concat(DEPLOYMENT_CREDS, "backup")),
                "provide one of '--deployment' or '--all-deployments' flags.");
        assertValidationError(bbr(concat(DEPLOYMENT_CREDS, "-d", "dep", "--all-deployments", "backup")),
                "provide one of '--deployment' or '--all-deployments' flags.");
        assertThat(invoked).isEmpty();
    }

    @Test
    void validationFailsEvenWithoutASubcommand() {
        CliRun run = bbr("deployment");
        assertValidationError(run, "--target flag is required.");
    }

    @Test
    void directorRequiresHostUsernameAndKey() {
        assertValidationError(bbr("director", "backup"), "--host flag is required.");
        assertValidationError(bbr("director", "--host", "10.0.0.5", "backup"), "--username flag is required.");
        assertValidationError(bbr("director", "--host", "10.0.0.5", "-u", "vcap", "backup"),
                "--private-key-path flag is required.");
        CliRun ok = bbr("director", "--host", "10.0.0.5", "-u", "vcap", "--key", "/k", "pre-backup-check");
        assertThat(ok.exitCode()).isZero();
        assertThat(invoked).singleElement().satisfies(i -> {
            assertThat(i.family()).isEqualTo("director");
            assertThat(i.familyFlags().string(BbrCommands.PRIVATE_KEY_PATH)).isEqualTo("/k");
        });
    }

    @Test
    void directorFlagsIgnoreEnvironmentVariables() {
        CliRun run = bbrWithEnv(Map.of("BOSH_ENVIRONMENT", "10.0.0.6", "BOSH_CLIENT", "admin"), "director", "backup");
        assertValidationError(run, "--host flag is required.");
    }

    @Test
    void restoreRequiresArtifactPathAndPrintsRestoreHelp() {
        CliRun run = bbr(concat(DEPLOYMENT_CREDS, "-d", "dep", "restore"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("NAME:\n   bbr deployment restore - Restore a deployment from backup");
        assertThat(run.err()).isEqualTo(RED + "--artifact-path flag is required." + "\u001b[0m\n");
        CliRun director = bbr("director", "--host", "h", "-u", "u", "--key", "k", "restore");
        assertThat(director.err()).contains("--artifact-path flag is required.");
        assertThat(director.exitCode()).isEqualTo(1);
        assertThat(invoked).isEmpty();
    }

    @Test
    void unsafeLockFreeCannotBeCombinedWithAllDeployments() {
        CliRun run = bbr(concat(DEPLOYMENT_CREDS, "--all-deployments", "backup", "--unsafe-lock-free"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("1 error occurred:\nerror 1:\n"
                + "Cannot use the --unsafe-lock-free flag in conjunction with the --all-deployments flag\n\n");
        assertThat(invoked).isEmpty();
    }

    @Test
    void allDeploymentsIsRefusedForRestoreCleanupWithAClearMessageAndAcceptedForRestore() {
        CliRun run = bbr(concat(DEPLOYMENT_CREDS, "--all-deployments", "restore-cleanup"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--all-deployments is not supported for restore-cleanup");
        assertThat(invoked).isEmpty();

        CliRun restore = bbr(concat(DEPLOYMENT_CREDS, "--all-deployments", "restore", "-a", "/backups",
                "--skip-missing"));
        assertThat(restore.exitCode()).isZero();
        assertThat(invoked).singleElement().satisfies(i -> assertThat(i.leafFlags().bool(BbrCommands.SKIP_MISSING))
                .isTrue());

        CliRun single = bbr(concat(DEPLOYMENT_CREDS, "-d", "x", "restore", "-a", "/b", "--skip-missing"));
        assertThat(single.exitCode()).isEqualTo(1);
        assertThat(single.err()).contains("--skip-missing only applies to --all-deployments restore");
    }

    @Test
    void unknownFlagIsIncorrectUsageWithTheHelp() {
        CliRun run = bbr(concat(DEPLOYMENT_CREDS, "-d", "dep", "--dave", "backup"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("Incorrect Usage. flag provided but not defined: -dave\n")
                .contains("NAME:\n   bbr deployment - Backup BOSH deployments");
        CliRun leaf = bbr(concat(DEPLOYMENT_CREDS, "-d", "dep", "backup", "--bogus=1"));
        assertThat(leaf.out()).startsWith("Incorrect Usage. flag provided but not defined: -bogus\n")
                .contains("bbr deployment backup - Backup a deployment");
        assertThat(leaf.exitCode()).isEqualTo(1);
        CliRun missingValue = bbr("deployment", "--target");
        assertThat(missingValue.out()).startsWith("Incorrect Usage. flag needs an argument: -target");
        assertThat(invoked).isEmpty();
    }

    @Test
    void flagsBelongBeforeTheirSubcommandAsInBbr() {
        CliRun run = bbr(concat(new String[] {"deployment", "-d", "dep", "backup"}, CREDS));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("Incorrect Usage. flag provided but not defined: -target");
    }

    @Test
    void goStyleSingleDashLongFlagsAndAliasesAreAccepted() {
        CliRun run = bbr("deployment", "-target", "10.0.0.6", "-username", "admin", "--password=s3cret",
                "-deployment", "dep", "b", "-a", "/tmp/out", "--with-manifest");
        assertThat(run.exitCode()).isZero();
        Invocation inv = invoked.get(0);
        assertThat(inv.subcommand()).isEqualTo("backup");
        assertThat(inv.familyFlags().string(BbrCommands.TARGET)).isEqualTo("10.0.0.6");
        assertThat(inv.familyFlags().string(BbrCommands.PASSWORD)).isEqualTo("s3cret");
        assertThat(inv.leafFlags().string(BbrCommands.BACKUP_ARTIFACT_PATH)).isEqualTo("/tmp/out");
        assertThat(inv.leafFlags().bool(BbrCommands.WITH_MANIFEST)).isTrue();
        assertThat(inv.leafFlags().bool(BbrCommands.UNSAFE_LOCK_FREE)).isFalse();
        assertThat(inv.leafFlags().positiveInt(BbrCommands.MAX_IN_FLIGHT)).isEqualTo(10);
    }

    @Test
    void environmentVariablesSupplyFlagsAndFlagsWin() {
        Map<String, String> env = Map.of("BOSH_ENVIRONMENT", "env-director", "BOSH_CLIENT", "env-user",
                "BOSH_CLIENT_SECRET", "env-secret", "BOSH_DEPLOYMENT", "env-dep", "BOSH_CA_CERT", "/env/ca.pem");
        assertThat(bbrWithEnv(env, "deployment", "pre-backup-check").exitCode()).isZero();
        Invocation fromEnv = invoked.get(0);
        assertThat(fromEnv.familyFlags().string(BbrCommands.TARGET)).isEqualTo("env-director");
        assertThat(fromEnv.familyFlags().string(BbrCommands.USERNAME)).isEqualTo("env-user");
        assertThat(fromEnv.familyFlags().string(BbrCommands.PASSWORD)).isEqualTo("env-secret");
        assertThat(fromEnv.familyFlags().string(BbrCommands.DEPLOYMENT)).isEqualTo("env-dep");
        assertThat(fromEnv.familyFlags().string(BbrCommands.CA_CERT)).isEqualTo("/env/ca.pem");

        assertThat(bbrWithEnv(env, "deployment", "-t", "flag-director", "-d", "flag-dep", "--ca-cert", "/flag.pem",
                "c").exitCode()).isZero();
        Invocation fromFlags = invoked.get(1);
        assertThat(fromFlags.subcommand()).isEqualTo("pre-backup-check");
        assertThat(fromFlags.familyFlags().string(BbrCommands.TARGET)).isEqualTo("flag-director");
        assertThat(fromFlags.familyFlags().string(BbrCommands.DEPLOYMENT)).isEqualTo("flag-dep");
        assertThat(fromFlags.familyFlags().string(BbrCommands.CA_CERT)).isEqualTo("/flag.pem");
        assertThat(fromFlags.familyFlags().string(BbrCommands.USERNAME)).isEqualTo("env-user");
    }

    @Test
    void caCertEnvironmentTakesPrecedenceOverBoshCaCert() {
        Map<String, String> env = Map.of("CA_CERT", "/ca-cert.pem", "BOSH_CA_CERT", "/bosh-ca-cert.pem");
        assertThat(bbrWithEnv(env, concat(new String[] {"deployment"}, concat(CREDS, "-d", "x", "backup-cleanup")))
                .exitCode()).isZero();
        assertThat(invoked.get(0).familyFlags().string(BbrCommands.CA_CERT)).isEqualTo("/ca-cert.pem");
        Map<String, String> emptyFirst = Map.of("CA_CERT", "", "BOSH_CA_CERT", "/bosh-ca-cert.pem");
        assertThat(bbrWithEnv(emptyFirst, concat(new String[] {"deployment"}, concat(CREDS, "-d", "x",
                "restore-cleanup"))).exitCode()).isZero();
        assertThat(invoked.get(1).familyFlags().string(BbrCommands.CA_CERT)).isEqualTo("/bosh-ca-cert.pem");
    }

    @Test
    void maxInFlightMustBeAPositiveNumber() {
        CliRun run = bbr(concat(new String[] {"deployment"}, concat(CREDS, "-d", "x", "backup", "--max-in-flight",
                "0")));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("Incorrect Usage. invalid value \"0\" for flag -max-in-flight");
        assertThat(invoked).isEmpty();
    }

    @Test
    void noColourWhenNoColorIsSet() {
        CliRun run = bbrWithEnv(Map.of("NO_COLOR", "1"), "deployment", "backup");
        assertThat(run.err()).isEqualTo("--target flag is required.\n");
    }

    // ------------------------------------------------------------------ at rest (issue 13)

    @Test
    void encryptToAndIdentityAreRepeatableAndKeepEveryValueInOrder() {
        String a = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        String b = "age1lvyvwawkr0mcnnnncaghunadrqkmuf9e6507x9y920xxpp866cnql7dp2z";
        CliRun run = bbr(concat(DEPLOYMENT_CREDS, "-d", "x", "backup", "--encrypt-to", a, "-encrypt-to", b,
                "--compress", "zstd:5"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        Invocation backup = invoked.get(0);
        assertThat(backup.leafFlags().strings(BbrCommands.ENCRYPT_TO)).containsExactly(a, b);
        assertThat(backup.leafFlags().string(BbrCommands.COMPRESS)).isEqualTo("zstd:5");

        bbr(concat(DEPLOYMENT_CREDS, "-d", "x", "restore", "--artifact-path", "/b", "--identity", "k1",
                "--identity", "k2"));
        assertThat(invoked.get(1).leafFlags().strings(BbrCommands.IDENTITY)).containsExactly("k1", "k2");
        assertThat(invoked.get(1).leafFlags().strings(BbrCommands.ENCRYPT_TO)).isEmpty();
    }

    @Test
    void badCodecFlagsAreRefusedBeforeTheOperationRuns() {
        CliRun lz4 = bbr(concat(DEPLOYMENT_CREDS, "-d", "x", "backup", "--compress", "lz4"));
        assertThat(lz4.exitCode()).isEqualTo(1);
        assertThat(lz4.err()).contains("--compress: invalid compression 'lz4': expected");
        CliRun level = bbr(concat(DEPLOYMENT_CREDS, "-d", "x", "backup", "--compress", "zstd:99"));
        assertThat(level.exitCode()).isEqualTo(1);
        CliRun key = bbr(concat(DEPLOYMENT_CREDS, "-d", "x", "backup", "--encrypt-to", "AGE-SECRET-KEY-1XYZ"));
        assertThat(key.exitCode()).isEqualTo(1);
        assertThat(key.err()).contains("--encrypt-to: invalid age recipient");
        CliRun director = bbr("director", "--host", "h", "--username", "u", "--private-key-path", "k", "backup",
                "--recipients-file", "/nonexistent/escrow.pub");
        assertThat(director.exitCode()).isEqualTo(1);
        assertThat(director.err()).contains("recipients file /nonexistent/escrow.pub does not exist");
        assertThat(invoked).isEmpty();
    }

    @Test
    void backupAndRestoreHelpShowTheAtRestFlags() {
        assertThat(bbr("deployment", "backup", "--help").out()).contains("--compress value", "(default: none)",
                "--encrypt-to value", "--recipients-file value");
        assertThat(bbr("director", "restore", "--help").out()).contains("--identity value");
    }

    @Test
    void artifactsFamilyHasItsHelpAndNeedsItsArgument() {
        CliRun help = bbr("artifacts");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("bbr artifacts - Verify, list, prune and copy backups at rest")
                .contains("verify ").contains("list ").contains("prune ").contains("unlock ");
        assertThat(bbr("--help").out()).contains("artifacts   Verify, list, prune and copy backups at rest");

        CliRun missing = bbr("artifacts", "verify");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).contains("USAGE:\n   bbr artifacts verify [options] PATH");
        assertThat(missing.err()).isEqualTo(RED + "PATH argument is required.\u001b[0m\n");

        CliRun ok = bbr("artifacts", "prune", "/backups", "--keep-daily", "7", "--dry-run");
        assertThat(ok.exitCode()).isZero();
        assertThat(invoked).hasSize(1);
        assertThat(invoked.get(0).leafFlags().argument()).isEqualTo("/backups");
        assertThat(invoked.get(0).leafFlags().bool(BbrCommands.DRY_RUN)).isTrue();
    }

    @Test
    void serviceFamilyHasItsHelpAndNeedsAConfig() {
        CliRun help = bbr("service");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("bbr service - Run scheduled backups, retention, verifies and restore drills")
                .contains("run ").contains("validate ");
        assertThat(bbr("--help").out()).contains("service     Run scheduled backups");

        CliRun missing = bbr("service", "run");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).contains("USAGE:\n   bbr service run [options]");
        assertThat(missing.err()).isEqualTo(RED + "--config flag is required.\u001b[0m\n");
        assertThat(invoked).isEmpty();
    }

    @Test
    void serviceValidatePrintsNextRunsOrOneLinePerProblem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("good.yml"), """
                destination: backups
                retention: {keep_daily: 7}
                jobs:
                  - {name: prune, type: prune, schedule: "30 3 * * *", time_zone: Europe/Berlin}
                """);
        CliRun ok = real("service", "validate", "--config", good.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains(good + ": valid; 1 job, destination backups",
                "  prune (prune every deployment in the destination): 30 3 * * * Europe/Berlin, missed runs: skip",
                "    next: ");
        assertThat(ok.out().lines().filter(l -> l.startsWith("    next: ")).findFirst().orElseThrow().split(", "))
                .hasSize(3);

        java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("bad.yml"), """
                destination: backups
                jobs:
                  - {name: prune, type: prune, schedule: "30 3 * *"}
                """);
        CliRun refused = real("service", "validate", "--config", bad.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().lines()).containsExactly(
                bad + ": jobs[0].schedule: \"30 3 * *\" has 4 fields; give 5 (minute hour day-of-month month"
                        + " day-of-week) or 6 (a leading seconds field, then those 5)",
                bad + ": jobs[0].type: a prune job needs a retention policy (retention: keep_daily, keep_weekly, ...)");
    }

    @Test
    void artifactsCommandsExplainBadInputInOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CliRun list = real("artifacts", "list", dir.resolve("absent").toString());
        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err()).isEqualTo("stat " + dir.resolve("absent") + ": no such file or directory\n");

        CliRun emptyPolicy = real("artifacts", "prune", dir.toString());
        assertThat(emptyPolicy.exitCode()).isEqualTo(1);
        assertThat(emptyPolicy.err().lines()).hasSize(1);

        CliRun badCount = real("artifacts", "prune", dir.toString(), "--keep-daily", "many");
        assertThat(badCount.exitCode()).isEqualTo(1);
        assertThat(badCount.err()).isEqualTo("invalid value \"many\" for flag --keep-daily: expected a whole number"
                + " of 0 or more (-1 keeps all)\n");

        CliRun badZone = real("artifacts", "prune", dir.toString(), "--keep-last", "1",
                "--time-zone", "Mars/Olympus");
        assertThat(badZone.exitCode()).isEqualTo(1);
        assertThat(badZone.err()).contains("--time-zone: expected an IANA time zone");

        CliRun nothing = real("artifacts", "verify", dir.toString());
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.err()).isEqualTo("no backups in " + dir + " to verify\n");

        CliRun noLocks = real("artifacts", "unlock", dir.toString());
        assertThat(noLocks.exitCode()).isZero();
        assertThat(noLocks.out()).isEqualTo("No run lock in " + dir + "\n");
    }

    private static void assertValidationError(CliRun run, String message) {
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("NAME:").contains("OPTIONS:");
        assertThat(run.err()).isEqualTo(RED + message + "\u001b[0m\n");
    }
}
