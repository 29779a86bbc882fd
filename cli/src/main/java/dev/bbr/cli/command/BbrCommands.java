package dev.bbr.cli.command;

import java.util.List;

/**
 * bbr's command tree, flag for flag and word for word as the Go bbr defines it, plus the flags this
 * implementation adds ({@code --max-in-flight}, {@code --max-deployments}).
 */
public final class BbrCommands {
    public static final String HELP_USAGE = "Shows a list of commands or help for one command";
    public static final int DEFAULT_MAX_IN_FLIGHT = 10;
    public static final int DEFAULT_MAX_DEPLOYMENTS = 10;
    public static final java.util.List<String> LOG_FORMATS = java.util.List.of("text", "json");

    public static final FlagDef TARGET = FlagDef.string("target", "t", "BOSH Director URL", "BOSH_ENVIRONMENT");
    public static final FlagDef USERNAME = FlagDef.string("username", "u", "BOSH Director username", "BOSH_CLIENT");
    public static final FlagDef PASSWORD =
            FlagDef.string("password", "p", "BOSH Director password", "BOSH_CLIENT_SECRET");
    public static final FlagDef DEPLOYMENT = FlagDef.string("deployment", "d",
            "Name of BOSH deployment. Omit if '--all-deployments' is provided", "BOSH_DEPLOYMENT");
    public static final FlagDef CA_CERT = FlagDef.string("ca-cert", null,
            "Path or value of BOSH Director custom CA certificate", "CA_CERT", "BOSH_CA_CERT");
    public static final FlagDef DEBUG = FlagDef.bool("debug", "Enable debug logs");
    public static final FlagDef LOG_FORMAT = new FlagDef("log-format", null, false, java.util.List.of(),
            "Output format: text (bbr's log lines) or json (one JSON object per line)", "text");
    public static final FlagDef ALL_DEPLOYMENTS = FlagDef.bool("all-deployments",
            "Run command for all deployments. Omit if '--deployment' is provided. Currently only supported for:"
                    + " pre-backup-check, backup and backup-cleanup");
    public static final FlagDef MAX_DEPLOYMENTS = FlagDef.number("max-deployments",
            "With --all-deployments, how many deployments run at once", DEFAULT_MAX_DEPLOYMENTS);

    public static final FlagDef HOST =
            FlagDef.string("host", null, "BOSH Director hostname, with an optional port. Port defaults to 22");
    public static final FlagDef DIRECTOR_USERNAME = FlagDef.string("username", "u", "BOSH Director SSH username");
    public static final FlagDef PRIVATE_KEY_PATH =
            FlagDef.string("private-key-path", "key", "BOSH Director SSH private key");

    public static final FlagDef WITH_MANIFEST = FlagDef.bool("with-manifest", "Download the deployment manifest");
    public static final FlagDef BACKUP_ARTIFACT_PATH = FlagDef.string("artifact-path", "a",
            "Specify an optional path to save the backup artifacts to");
    public static final FlagDef RESTORE_ARTIFACT_PATH =
            FlagDef.string("artifact-path", "a", "Path to the artifact to restore");
    public static final FlagDef UNSAFE_LOCK_FREE = FlagDef.bool("unsafe-lock-free",
            "Experimental feature to skip locking steps when backing up the BOSH deployment. Cannot be used in"
                    + " combination with the all-deployments flag");
    public static final FlagDef MAX_IN_FLIGHT = FlagDef.number("max-in-flight",
            "How many scripts and transfers run at once; 1 runs restores one at a time as the Go bbr does",
            DEFAULT_MAX_IN_FLIGHT);

    public static final String PRE_BACKUP_CHECK = "pre-backup-check";
    public static final String BACKUP = "backup";
    public static final String RESTORE = "restore";
    public static final String BACKUP_CLEANUP = "backup-cleanup";
    public static final String RESTORE_CLEANUP = "restore-cleanup";

    private BbrCommands() {}

    public static CommandDef deployment() {
        return new CommandDef("deployment", null, "Backup BOSH deployments",
                List.of(TARGET, USERNAME, PASSWORD, DEPLOYMENT, CA_CERT, DEBUG, ALL_DEPLOYMENTS, MAX_DEPLOYMENTS,
                        LOG_FORMAT),
                List.of(
                        CommandDef.leaf(PRE_BACKUP_CHECK, "c", "Check a deployment can be backed up"),
                        CommandDef.leaf(BACKUP, "b", "Backup a deployment",
                                WITH_MANIFEST, BACKUP_ARTIFACT_PATH, UNSAFE_LOCK_FREE, MAX_IN_FLIGHT),
                        CommandDef.leaf(RESTORE, "r", "Restore a deployment from backup",
                                RESTORE_ARTIFACT_PATH, MAX_IN_FLIGHT),
                        CommandDef.leaf(BACKUP_CLEANUP, null, "Cleanup a deployment after a backup was interrupted"),
                        CommandDef.leaf(RESTORE_CLEANUP, null,
                                "Cleanup a deployment after a restore was interrupted")));
    }

    public static CommandDef director() {
        return new CommandDef("director", null, "Backup BOSH director",
                List.of(HOST, DIRECTOR_USERNAME, PRIVATE_KEY_PATH, DEBUG, LOG_FORMAT),
                List.of(
                        CommandDef.leaf(PRE_BACKUP_CHECK, "c", "Check a BOSH Director can be backed up"),
                        CommandDef.leaf(BACKUP, "b", "Backup a BOSH Director", BACKUP_ARTIFACT_PATH, MAX_IN_FLIGHT),
                        // "deployment" is the Go bbr's own wording here
                        CommandDef.leaf(RESTORE, "r", "Restore a deployment from backup",
                                RESTORE_ARTIFACT_PATH, MAX_IN_FLIGHT),
                        CommandDef.leaf(BACKUP_CLEANUP, null, "Cleanup a director after a backup was interrupted"),
                        CommandDef.leaf(RESTORE_CLEANUP, null, "Cleanup a director after a restore was interrupted")));
    }

    public static CommandDef root() {
        return new CommandDef("bbr", null, "BOSH Backup and Restore", List.of(),
                List.of(deployment(), director(),
                        CommandDef.leaf("help", "h", HELP_USAGE),
                        CommandDef.leaf("version", "v", "Shows the version")));
    }
}
