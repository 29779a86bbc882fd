package dev.bbr.cli.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bbr.app.ArtifactTools;
import dev.bbr.app.BbrApp;
import dev.bbr.app.Environment;
import dev.bbr.artifacts.atrest.BackupSummary;
import dev.bbr.artifacts.atrest.VerifyResult;
import dev.bbr.artifacts.retention.RetentionDecision;
import dev.bbr.artifacts.retention.RetentionDuration;
import dev.bbr.artifacts.retention.RetentionPlanner;
import dev.bbr.artifacts.retention.RetentionPolicy;
import dev.bbr.cli.BbrVersion;
import dev.bbr.cli.Console;
import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.FlagDef;
import dev.bbr.cli.command.Invocation;
import dev.bbr.cli.command.ResolvedFlags;
import dev.bbr.core.drain.HumanSize;
import dev.bbr.core.exec.Workers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bbr artifacts verify|list|prune|unlock}: backups at rest. Text for people (one line per
 * backup), {@code --json} for scripts; errors are one line on stderr. Exit codes are in
 * docs/exit-codes.md: 0 done, 1 a failure (a backup that failed verification, a location that cannot
 * be read, a backup that could not be deleted), 3 verify was given identities that fit no backup.
 */
public final class ArtifactOperations {
    /** verify: an identity was given and it is not a recipient of the backup (nothing else failed). */
    public static final int WRONG_IDENTITY = 3;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter LIST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private ArtifactOperations() {}

    public static int verify(Invocation invocation, Console console) {
        ResolvedFlags flags = invocation.leafFlags();
        ArtifactTools.VerifyReport report;
        try {
            report = tools(console).verify(flags.argument(), flags.strings(BbrCommands.IDENTITY),
                    !flags.bool(BbrCommands.NO_RECORD));
        } catch (IOException | IllegalArgumentException e) {
            return failed(console, e.getMessage());
        }
        if (report.results().isEmpty()) {
            return failed(console, "no backups in " + flags.argument() + " to verify");
        }
        if (flags.bool(BbrCommands.JSON)) {
            List<Map<String, Object>> backups = new ArrayList<>();
            for (VerifyResult r : report.results()) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("backup", r.backup());
                b.put("verdict", r.verdict().name().toLowerCase(java.util.Locale.ROOT));
                b.put("passed", r.passed());
                b.put("artifacts", r.artifacts());
                b.put("files_checked", r.files());
                b.put("stored_bytes", r.storedBytes());
                b.put("problems", r.problems());
                backups.add(b);
            }
            printJson(console, Map.of("backups", backups, "warnings", report.warnings()));
        } else {
            report.results().forEach(r -> console.out().println(verdictLine(r)));
            report.warnings().forEach(w -> console.err().println(w));
        }
        if (report.results().stream().anyMatch(r -> r.verdict() == VerifyResult.Verdict.FAILED)) {
            return 1;
        }
        return report.results().stream().anyMatch(r -> r.verdict() == VerifyResult.Verdict.WRONG_IDENTITY)
                ? WRONG_IDENTITY : 0;
    }

    public static int list(Invocation invocation, Console console) {
        ResolvedFlags flags = invocation.leafFlags();
        List<BackupSummary> backups;
        try {
            backups = tools(console).list(flags.argument());
        } catch (IOException e) {
            return failed(console, e.getMessage());
        }
        if (flags.bool(BbrCommands.JSON)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (BackupSummary b : backups) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("backup", b.name());
                row.put("deployment", b.deployment());
                row.put("time", b.time().toString());
                row.put("stored_bytes", b.storedBytes());
                row.put("state", b.state().label());
                row.put("codec", b.codec());
                row.put("detail", b.detail());
                rows.add(row);
            }
            printJson(console, Map.of("location", flags.argument(), "backups", rows));
            return 0;
        }
        if (backups.isEmpty()) {
            console.out().println("No backups in " + flags.argument());
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DEPLOYMENT", "TIME", "SIZE", "STATE", "CODEC", "BACKUP", "DETAIL"});
        for (BackupSummary b : backups) {
            rows.add(new String[] {b.deployment(), LIST_TIME.format(b.time()), HumanSize.ofDiskUsage(b.storedBytes()),
                    b.state().label(), b.codec(), b.name(), b.detail()});
        }
        printColumns(console, rows);
        return 0;
    }

    public static int prune(Invocation invocation, Console console) {
        ResolvedFlags flags = invocation.leafFlags();
        RetentionPlanner planner;
        try {
            planner = new RetentionPlanner(policy(flags), zone(flags), grace(flags));
        } catch (IllegalArgumentException e) {
            return failed(console, e.getMessage());
        }
        boolean dryRun = flags.bool(BbrCommands.DRY_RUN);
        ArtifactTools.PruneResult result;
        try {
            result = tools(console).prune(flags.argument(), planner, dryRun);
        } catch (IOException | IllegalArgumentException e) {
            return failed(console, e.getMessage());
        }
        List<RetentionDecision> decisions = result.plan().decisions();
        if (flags.bool(BbrCommands.JSON)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (RetentionDecision d : decisions) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("backup", d.backup().name());
                row.put("deployment", d.backup().deployment());
                row.put("time", d.backup().time().toString());
                row.put("complete", d.backup().complete());
                row.put("action", d.keep() ? "keep" : "delete");
                row.put("deleted", result.deleted().contains(d.backup().name()));
                row.put("reasons", d.reasons());
                rows.add(row);
            }
            printJson(console, Map.of("location", result.location(), "dry_run", dryRun, "decisions", rows,
                    "failures", result.failures(), "aborted_uploads", result.abortedUploads()));
        } else {
            for (RetentionDecision d : decisions) {
                String action = d.keep() ? "keep" : dryRun ? "delete" : result.deleted().contains(d.backup().name())
                        ? "deleted" : "failed";
                console.out().printf("%-8s %s  (%s)%n", action, d.backup().name(), String.join("; ", d.reasons()));
            }
            long toDelete = decisions.stream().filter(RetentionDecision::delete).count();
            console.out().println(dryRun
                    ? "Would delete " + toDelete + " of " + decisions.size() + " backups in " + flags.argument()
                            + " (dry run: nothing was deleted)"
                    : "Deleted " + result.deleted().size() + " of " + decisions.size() + " backups in "
                            + flags.argument());
            if (result.abortedUploads() > 0) {
                console.out().println("Aborted " + result.abortedUploads() + " unfinished uploads older than the grace"
                        + " period");
            }
            result.failures().forEach(f -> console.err().println(f));
        }
        return result.failures().isEmpty() ? 0 : 1;
    }

    public static int unlock(Invocation invocation, Console console) {
        ResolvedFlags flags = invocation.leafFlags();
        String deployment = flags.string(BbrCommands.UNLOCK_DEPLOYMENT);
        try {
            List<String> removed = tools(console).unlock(flags.argument(), deployment.isEmpty() ? null : deployment);
            if (removed.isEmpty()) {
                console.out().println("No run lock" + (deployment.isEmpty() ? "" : " of " + deployment) + " in "
                        + flags.argument());
            }
            removed.forEach(line -> console.out().println(line));
            return 0;
        } catch (IOException e) {
            return failed(console, e.getMessage());
        }
    }

    public static int copy(Invocation invocation, Console console) {
        ResolvedFlags flags = invocation.leafFlags();
        List<String> args = flags.arguments();
        ArtifactTools.Copied copied;
        try {
            copied = tools(console).copy(args.get(0), args.get(1),
                    dev.bbr.artifacts.store.Layout.parse(flags.string(BbrCommands.LAYOUT)));
        } catch (IOException | IllegalArgumentException e) {
            return failed(console, e.getMessage());
        }
        VerifyResult check = copied.check();
        if (flags.bool(BbrCommands.JSON)) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("backup", copied.name());
            doc.put("source", copied.source());
            doc.put("destination", copied.destination());
            doc.put("bytes", copied.bytes());
            doc.put("verdict", check.verdict().name().toLowerCase(java.util.Locale.ROOT));
            doc.put("passed", check.passed());
            doc.put("problems", check.problems());
            printJson(console, doc);
        } else if (check.passed()) {
            console.out().println("Copied " + copied.name() + " (" + HumanSize.ofDiskUsage(copied.bytes()) + ") to "
                    + copied.destination() + "; " + verdictLine(check));
        } else {
            console.err().println("The copy of " + copied.name() + " in " + copied.destination() + " did not check out"
                    + " and was removed: " + String.join("; ", check.problems()));
        }
        return check.passed() ? 0 : 1;
    }

    static String verdictLine(VerifyResult r) {
        String read = HumanSize.ofDiskUsage(r.storedBytes()) + " read";
        return switch (r.verdict()) {
            case VERIFIED -> r.backup() + ": verified: " + r.artifacts() + " artifacts, " + r.files()
                    + " files match the metadata (" + read + ")";
            case STORED_FILES_OK -> r.backup() + ": stored files intact: " + r.artifacts()
                    + " artifacts match bbr-sidecar.json (" + read + "); contents not checked: the backup is"
                    + " encrypted, give --identity to check every file";
            case WRONG_IDENTITY -> r.backup() + ": wrong identity: " + String.join("; ", r.problems());
            case FAILED -> r.backup() + ": FAILED: " + String.join("; ", r.problems());
        };
    }

    private static RetentionPolicy policy(ResolvedFlags flags) {
        RetentionPolicy.Builder policy = RetentionPolicy.builder()
                .keepLast(count(flags, BbrCommands.KEEP_LAST))
                .keepHourly(count(flags, BbrCommands.KEEP_HOURLY))
                .keepDaily(count(flags, BbrCommands.KEEP_DAILY))
                .keepWeekly(count(flags, BbrCommands.KEEP_WEEKLY))
                .keepMonthly(count(flags, BbrCommands.KEEP_MONTHLY))
                .keepYearly(count(flags, BbrCommands.KEEP_YEARLY));
        if (flags.isSet(BbrCommands.KEEP_WITHIN)) {
            policy.keepWithin(RetentionDuration.parse(flags.string(BbrCommands.KEEP_WITHIN)));
        }
        return policy.build();
    }

    /** A count of backups to keep: 0 (off) when not given, -1 keeps all, as restic. */
    private static int count(ResolvedFlags flags, FlagDef flag) {
        if (!flags.isSet(flag)) {
            return 0;
        }
        String raw = flags.string(flag).trim();
        try {
            int n = Integer.parseInt(raw);
            if (n < -1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + raw + "\" for flag --" + flag.name()
                    + ": expected a whole number of 0 or more (-1 keeps all)");
        }
    }

    private static ZoneId zone(ResolvedFlags flags) {
        String raw = flags.string(BbrCommands.TIME_ZONE);
        try {
            return ZoneId.of(raw);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("invalid value \"" + raw + "\" for flag --time-zone: expected an IANA"
                    + " time zone such as UTC or Europe/Berlin");
        }
    }

    private static Duration grace(ResolvedFlags flags) {
        String raw = flags.string(BbrCommands.GRACE);
        RetentionDuration grace;
        try {
            grace = RetentionDuration.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--grace: " + e.getMessage());
        }
        if (grace.years() != 0 || grace.months() != 0) {
            throw new IllegalArgumentException("invalid value \"" + raw + "\" for flag --grace: give days and hours"
                    + " (e.g. 24h or 2d)");
        }
        return Duration.ofDays(grace.days()).plusHours(grace.hours());
    }

    private static ArtifactTools tools(Console console) {
        return new BbrApp(new Environment(console.env(), console.workingDirectory(),
                Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"), false, Workers.shared(),
                Clock.systemUTC(), BbrVersion.get())).artifacts();
    }

    private static int failed(Console console, String message) {
        console.err().println(message);
        return 1;
    }

    private static void printJson(Console console, Object document) {
        try {
            console.out().println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Left-aligned columns, two spaces apart, the last one unpadded. */
    private static void printColumns(Console console, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c == columns - 1 ? row[c] : String.format("%-" + (widths[c] + 2) + "s", row[c]));
            }
            console.out().println(line.toString().stripTrailing());
        }
    }
}
