package dev.bbr.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbr.app.Target;
import dev.bbr.service.config.ServiceConfig.DirectorVm;
import dev.bbr.service.config.ServiceConfig.Drill;
import dev.bbr.service.config.ServiceConfig.Job;
import dev.bbr.service.config.ServiceConfig.JobType;
import dev.bbr.service.config.ServiceConfig.Missed;
import dev.bbr.service.config.ServiceConfig.Selection;
import dev.bbr.service.schedule.CronSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The {@code jobs} list: each job's type, schedule and what it works on, checked against the rest of the config. */
final class JobsReader {
    private static final Set<String> COMMON = Set.of("name", "type", "schedule", "time_zone", "jitter", "missed");
    private static final String NAME = "[A-Za-z0-9_-]{1,64}";

    private final boolean hasDirector;
    private final Optional<DirectorVm> directorVm;
    private final boolean hasRetention;
    private final Path directory;

    JobsReader(boolean hasDirector, Optional<DirectorVm> directorVm, boolean hasRetention, Path directory) {
        this.hasDirector = hasDirector;
        this.directorVm = directorVm;
        this.hasRetention = hasRetention;
        this.directory = directory;
    }

    List<Job> read(ConfigNode root) {
        if (!root.has("jobs")) {
            root.problem("jobs", "missing: at least one job (backup, prune, verify or drill)");
            return List.of();
        }
        List<Job> jobs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode node : root.list("jobs")) {
            String name = node.requiredString("name", "the job's name (letters, digits, - and _)");
            if (!name.isEmpty() && !name.matches(NAME)) {
                node.problem("name", "\"" + name + "\" may hold only letters, digits, - and _ (64 at most)");
            } else if (!name.isEmpty() && !names.add(name)) {
                node.problem("name", "another job is named " + name);
            }
            Optional<JobType> type = node.parsed("type", JobsReader::type);
            if (!node.has("type")) {
                node.problem("type", "missing: backup, prune, verify or drill");
            }
            Optional<CronSchedule> schedule = ConfigLoader.schedule(node, "schedule", "time_zone", true);
            Duration jitter = node.parsed("jitter", Durations::parse).orElse(Duration.ZERO);
            Missed missed = node.parsed("missed", JobsReader::missed).orElse(Missed.SKIP);
            if (type.isEmpty()) {
                continue;
            }
            Selection selection = selection(node, type.get());
            Optional<Drill> drill = type.get() == JobType.DRILL ? drill(node) : Optional.empty();
            if (schedule.isPresent()) {
                jobs.add(new Job(name, type.get(), schedule.get(), jitter, missed, selection, drill));
            }
        }
        return jobs;
    }

    private Selection selection(ConfigNode node, JobType type) {
        Set<String> known = new HashSet<>(COMMON);
        switch (type) {
            case BACKUP, VERIFY -> known.addAll(Set.of("deployments", "director_vm"));
            case DRILL -> known.addAll(Set.of("deployment", "target_deployment", "target_director_vm", "check",
                    "check_timeout"));
            case PRUNE -> { }
        }
        node.allowOnly(known);
        if (type == JobType.PRUNE || type == JobType.DRILL) {
            if (type == JobType.PRUNE && !hasRetention) {
                node.problem("type", "a prune job needs a retention policy (retention: keep_daily, keep_weekly, ...)");
            }
            return new Selection(true, List.of(), false);
        }
        boolean all = false;
        List<String> names = List.of();
        JsonNode raw = node.raw("deployments");
        if (raw != null && raw.isTextual() && raw.asText().trim().equals("all")) {
            all = true;
        } else if (raw != null && raw.isArray() && raw.size() > 0) {
            names = node.strings("deployments");
        } else if (raw != null && !raw.isNull()) {
            node.problem("deployments", "expected all, or a list of deployment names");
        }
        boolean vm = node.bool("director_vm", false);
        if (vm && directorVm.isEmpty()) {
            node.problem("director_vm", "the config has no director_vm (host, user, private_key_file) to back up");
        }
        if ((all || !names.isEmpty()) && !hasDirector && type == JobType.BACKUP) {
            node.problem("deployments", "backing up deployments needs the director (url, client, ...)");
        }
        if (!all && names.isEmpty() && !vm) {
            if (type == JobType.VERIFY) {
                return new Selection(true, List.of(), directorVm.isPresent());
            }
            node.problem("deployments", "missing: which deployments (all, or a list of names), or director_vm: true");
        }
        return new Selection(all, names, vm);
    }

    private Optional<Drill> drill(ConfigNode node) {
        String source = node.requiredString("deployment", "whose newest backup the drill restores");
        Target target = null;
        if (node.has("target_deployment") == node.has("target_director_vm")) {
            node.problem("target_deployment", "give the deployment to restore into (target_deployment) or a Director"
                    + " VM (target_director_vm), one of them");
        } else if (node.has("target_deployment")) {
            if (!hasDirector) {
                node.problem("target_deployment", "restoring into a deployment needs the director (url, client, ...)");
            }
            target = node.string("target_deployment").map(d -> new Target.Deployment(null, d)).orElse(null);
        } else {
            target = node.child("target_director_vm").map(vm -> ConfigLoader.directorVm(vm, directory).target())
                    .orElse(null);
        }
        List<String> check = List.of();
        JsonNode raw = node.raw("check");
        if (raw == null || raw.isNull()) {
            node.problem("check", "missing: the command that checks the restored data (a shell line, or a list)");
        } else if (raw.isTextual()) {
            check = List.of("/bin/sh", "-c", raw.asText());
        } else {
            check = node.strings("check");
        }
        Duration timeout = node.parsed("check_timeout", Durations::parse).orElse(Duration.ofMinutes(10));
        return target == null || source.isEmpty() || check.isEmpty() ? Optional.empty()
                : Optional.of(new Drill(source, target, check, timeout));
    }

    private static JobType type(String raw) {
        try {
            return JobType.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + raw + "\" is not a job type; give backup, prune, verify or drill");
        }
    }

    private static Missed missed(String raw) {
        return switch (raw) {
            case "run_once" -> Missed.RUN_ONCE;
            case "skip" -> Missed.SKIP;
            default -> throw new IllegalArgumentException("\"" + raw + "\": give run_once (run once after downtime) or"
                    + " skip");
        };
    }
}
