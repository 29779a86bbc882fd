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
    public static final FlagDef PRE_CHECK_ARTIFACT_PATH = FlagDef.string("artifact-path", "a",
            "Optional: also report the free space there and the size of this deployment's newest backup in it");
    public static final FlagDef RESTORE_ARTIFACT_PATH =
            FlagDef.string("artifact-path", "a", "Path to the artifact to restore");
    public static final FlagDef UNSAFE_LOCK_FREE = FlagDef.bool("unsafe-lock-free",
            "Experimental feature to skip locking steps when backing up the BOSH deployment. Cannot be used in"
                    + " combination with the all-deployments flag");
    public static final FlagDef MAX_IN_FLIGHT = FlagDef.number("max-in-flight",
            "How many scripts and transfers run at once; 1 runs restores one at a time as the Go bbr does",
            DEFAULT_MAX_IN_FLIGHT);

    public static final FlagDef MIN_FREE_SPACE = new FlagDef("min-free-space", null, false, List.of(),
            "Stop before the drain unless the artifacts fit in the artifact path's file system with this much left"
                    + " free (e.g. 512M, 10G; off skips the check)", "1G");

    // at rest (bbr for Java only): opt-in, so a plain backup stays the Go bbr's
    public static final FlagDef COMPRESS = new FlagDef("compress", null, false, List.of(),
            "Compress each artifact before it is stored: none, gzip or zstd[:LEVEL] (LEVEL 1-19, default 3)", "none");
    public static final FlagDef ENCRYPT_TO = FlagDef.repeatable("encrypt-to",
            "Encrypt each artifact with age to this X25519 recipient (age1...); repeat for more recipients");
    public static final FlagDef RECIPIENTS_FILE = FlagDef.repeatable("recipients-file",
            "Encrypt to every age recipient listed in this file (one age1... per line, # comments); repeatable");
    public static final FlagDef IDENTITY = FlagDef.repeatable("identity",
            "age identity file (AGE-SECRET-KEY-1...) that decrypts an encrypted backup; repeatable");

    public static final FlagDef LAYOUT = new FlagDef("layout", null, false, List.of(),
            "Where the backup goes under an s3://, azure:// or sftp:// artifact path: flat (<deployment>_<time>/, as"
                    + " bbr) or dated (<deployment>/YYYY/MM/DD/<deployment>_<time>/)", "flat");
    public static final FlagDef SKIP_MISSING = FlagDef.bool("skip-missing",
            "With --all-deployments (bbr for Java restores the newest complete backup of every deployment under"
                    + " --artifact-path): restore those that have one and skip the others");

    // bbr artifacts
    public static final FlagDef JSON = FlagDef.bool("json", "Print the result as one JSON document");
    public static final FlagDef NO_RECORD = FlagDef.bool("no-record",
            "Do not leave bbr-verified.json in a backup that passed (for read-only copies)");
    public static final FlagDef KEEP_LAST = FlagDef.string("keep-last", null, "Keep the newest N backups");
    public static final FlagDef KEEP_HOURLY = FlagDef.string("keep-hourly", null,
            "Keep the newest backup of each of the last N hours that have one");
    public static final FlagDef KEEP_DAILY = FlagDef.string("keep-daily", null,
            "Keep the newest backup of each of the last N days that have one");
    public static final FlagDef KEEP_WEEKLY = FlagDef.string("keep-weekly", null,
            "Keep the newest backup of each of the last N ISO weeks that have one");
    public static final FlagDef KEEP_MONTHLY = FlagDef.string("keep-monthly", null,
            "Keep the newest backup of each of the last N months that have one");
    public static final FlagDef KEEP_YEARLY = FlagDef.string("keep-yearly", null,
            "Keep the newest backup of each of the last N years that have one");
    public static final FlagDef KEEP_WITHIN = FlagDef.string("keep-within", null,
            "Keep every backup younger than this, counted from the newest (e.g. 7d, 1m, 1y2m3d4h)");
    public static final FlagDef TIME_ZONE = new FlagDef("time-zone", null, false, List.of(),
            "Where days, weeks, months and years begin (an IANA zone such as Europe/Berlin)", "UTC");
    public static final FlagDef GRACE = new FlagDef("grace", null, false, List.of(),
            "Leave an incomplete backup alone while it is younger than this (it may still be running)", "24h");
    public static final FlagDef DRY_RUN = FlagDef.bool("dry-run", "Only print what would be kept and deleted, and why");
    public static final FlagDef UNLOCK_DEPLOYMENT = FlagDef.string("deployment", "d",
            "Only the run lock of this deployment (default: every run lock in the directory)");

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
                        CommandDef.leaf(PRE_BACKUP_CHECK, "c", "Check a deployment can be backed up",
                                PRE_CHECK_ARTIFACT_PATH),
                        CommandDef.leaf(BACKUP, "b", "Backup a deployment",
                                WITH_MANIFEST, BACKUP_ARTIFACT_PATH, UNSAFE_LOCK_FREE, MAX_IN_FLIGHT, COMPRESS,
                                ENCRYPT_TO, RECIPIENTS_FILE, LAYOUT, MIN_FREE_SPACE),
                        CommandDef.leaf(RESTORE, "r", "Restore a deployment from backup",
                                RESTORE_ARTIFACT_PATH, MAX_IN_FLIGHT, IDENTITY, SKIP_MISSING),
                        CommandDef.leaf(BACKUP_CLEANUP, null, "Cleanup a deployment after a backup was interrupted"),
                        CommandDef.leaf(RESTORE_CLEANUP, null,
                                "Cleanup a deployment after a restore was interrupted")));
    }

    public static CommandDef director() {
        return new CommandDef("director", null, "Backup BOSH director",
                List.of(HOST, DIRECTOR_USERNAME, PRIVATE_KEY_PATH, DEBUG, LOG_FORMAT),
                List.of(
                        CommandDef.leaf(PRE_BACKUP_CHECK, "c", "Check a BOSH Director can be backed up"),
                        CommandDef.leaf(BACKUP, "b", "Backup a BOSH Director", BACKUP_ARTIFACT_PATH, MAX_IN_FLIGHT,
                                COMPRESS, ENCRYPT_TO, RECIPIENTS_FILE, LAYOUT, MIN_FREE_SPACE),
                        // "deployment" is the Go bbr's own wording here
                        CommandDef.leaf(RESTORE, "r", "Restore a deployment from backup",
                                RESTORE_ARTIFACT_PATH, MAX_IN_FLIGHT, IDENTITY),
                        CommandDef.leaf(BACKUP_CLEANUP, null, "Cleanup a director after a backup was interrupted"),
                        CommandDef.leaf(RESTORE_CLEANUP, null, "Cleanup a director after a restore was interrupted")));
    }

    public static final String ARTIFACTS = "artifacts";
    public static final String VERIFY = "verify";
    public static final String LIST = "list";
    public static final String PRUNE = "prune";
    public static final String UNLOCK = "unlock";
    public static final String COPY = "copy";

    /** bbr for Java only: backups at rest, with no Director or instance involved. */
    public static CommandDef artifacts() {
        return new CommandDef(ARTIFACTS, null, "Verify, list, prune and copy backups at rest", List.of(),
                List.of(
                        CommandDef.leafWithArgument(VERIFY, "PATH",
                                "Check a backup (or every backup in a directory) against its checksums, offline",
                                IDENTITY, JSON, NO_RECORD),
                        CommandDef.leafWithArgument(LIST, "DIRECTORY",
                                "List the backups in a directory: deployment, time, size, state, codec", JSON),
                        CommandDef.leafWithArgument(PRUNE, "DIRECTORY",
                                "Delete the backups a retention policy does not keep, per deployment",
                                KEEP_LAST, KEEP_HOURLY, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_YEARLY,
                                KEEP_WITHIN, TIME_ZONE, GRACE, DRY_RUN, JSON),
                        CommandDef.leafWithArgument(UNLOCK, "DIRECTORY",
                                "Remove a run lock left by a backup that died", UNLOCK_DEPLOYMENT),
                        CommandDef.leafWithArgument(COPY, "SOURCE DESTINATION",
                                "Copy one backup to another location (any of local, s3://, azure://, sftp://),"
                                        + " checked on the way", LAYOUT, JSON)));
    }

    public static final String SERVICE = "service";
    public static final String RUN = "run";
    public static final String VALIDATE = "validate";
    public static final FlagDef CONFIG = FlagDef.string("config", "c",
            "The service's YAML config: Directors, destination, jobs, notifications (docs/service.md)");

    /** bbr for Java only: scheduled backups, prunes, verifies and restore drills (docs/service.md). */
    public static CommandDef service() {
        return new CommandDef(SERVICE, null, "Run scheduled backups, retention, verifies and restore drills", List.of(),
                List.of(
                        CommandDef.leaf(RUN, null, "Run the config's jobs in the foreground until SIGTERM", CONFIG),
                        CommandDef.leaf(VALIDATE, null, "Check a config and print each job's next run times",
                                CONFIG)));
    }

    public static CommandDef root() {
        return new CommandDef("bbr", null, "BOSH Backup and Restore", List.of(),
                List.of(deployment(), director(), artifacts(), service(),
                        CommandDef.leaf("help", "h", HELP_USAGE),
                        CommandDef.leaf("version", "v", "Shows the version")));
    }
}
