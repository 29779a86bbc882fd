package dev.bbr.service.http;

import com.sun.net.httpserver.HttpExchange;
import dev.bbr.app.BackupArchive;
import dev.bbr.app.BbrApp;
import dev.bbr.artifacts.atrest.BackupSummary;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.service.config.ServiceConfig;
import dev.bbr.service.job.JobExecutor;
import dev.bbr.service.job.JobRun;
import dev.bbr.service.schedule.Scheduler;
import dev.bbr.service.state.ServiceState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1}: the backups in the destination (list, download one as a tar stream, upload one to
 * restore from), the jobs (list with their next run, trigger one now, its history). docs/service.md
 * shows each call.
 */
public final class Api {
    private static final Pattern BACKUP = Pattern.compile("/api/v1/backups/([^/]+)");
    private static final Pattern JOB_RUN = Pattern.compile("/api/v1/jobs/([^/]+)/run");
    private static final Pattern JOB_HISTORY = Pattern.compile("/api/v1/jobs/([^/]+)/history");

    private final ServiceConfig config;
    private final BbrApp app;
    private final JobExecutor executor;
    private final ServiceState state;
    private final Supplier<Map<String, Scheduler.Planned>> planned;

    public Api(ServiceConfig config, BbrApp app, JobExecutor executor, ServiceState state,
            Supplier<Map<String, Scheduler.Planned>> planned) {
        this.config = config;
        this.app = app;
        this.executor = executor;
        this.state = state;
        this.planned = planned;
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        Matcher m;
        if (path.equals("/api/v1/backups")) {
            if (method.equals("GET")) {
                listBackups(exchange);
            } else if (method.equals("POST")) {
                upload(exchange);
            } else {
                notAllowed(exchange, "GET, POST");
            }
        } else if ((m = BACKUP.matcher(path)).matches()) {
            if (method.equals("GET")) {
                download(exchange, m.group(1));
            } else {
                notAllowed(exchange, "GET");
            }
        } else if (path.equals("/api/v1/jobs")) {
            listJobs(exchange);
        } else if ((m = JOB_RUN.matcher(path)).matches()) {
            if (method.equals("POST")) {
                trigger(exchange, m.group(1));
            } else {
                notAllowed(exchange, "POST");
            }
        } else if ((m = JOB_HISTORY.matcher(path)).matches()) {
            history(exchange, m.group(1));
        } else {
            Exchanges.error(exchange, 404, "no such resource: " + path);
        }
    }

    private void listBackups(HttpExchange exchange) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BackupSummary b : app.artifacts().list(config.destination())) {
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
        Exchanges.json(exchange, 200, Map.of("destination_name", config.destinationName(), "backups", rows));
    }

    /** The backup as a tar stream ({@link BackupArchive}), sent as it is read. */
    private void download(HttpExchange exchange, String name) throws IOException {
        if (BbrLayout.timeOf(name).isEmpty() || name.contains("..")) {
            Exchanges.error(exchange, 400, name + " is not a backup name (<deployment>_<YYYYMMDDTHHMMSSZ>)");
            return;
        }
        Optional<BackupSummary> backup = app.artifacts().list(config.destination()).stream()
                .filter(b -> b.name().equals(name)).findFirst();
        if (backup.isEmpty()) {
            Exchanges.error(exchange, 404, "no backup " + name + " in " + config.destinationName());
            return;
        }
        if (backup.get().state() == dev.bbr.artifacts.atrest.BackupState.INCOMPLETE) {
            // refused before the answer starts: once the tar streams, a failure can only cut it short
            Exchanges.error(exchange, 409, name + " is incomplete and must not be restored: " + backup.get().detail());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-tar");
        exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + name + ".tar\"");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            app.artifacts().archive().export(config.destination(), name, out);
        }
    }

    /** A tar stream as download gives it, stored as a new backup once every file matched its record. */
    private void upload(HttpExchange exchange) throws IOException {
        BackupArchive.Imported imported;
        try (InputStream in = exchange.getRequestBody()) {
            imported = app.artifacts().archive().importInto(config.destination(), in);
        } catch (IOException e) {
            Exchanges.error(exchange, 400, "the upload is not a backup archive: " + e.getMessage());
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("backup", imported.name());
        answer.put("uploaded_as", imported.originalName());
        answer.put("verdict", imported.check().verdict().name().toLowerCase(java.util.Locale.ROOT));
        answer.put("problems", imported.check().problems());
        Exchanges.json(exchange, imported.accepted() ? 201 : 422, answer);
    }

    private void listJobs(HttpExchange exchange) throws IOException {
        Map<String, Scheduler.Planned> next = planned.get();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ServiceConfig.Job job : config.jobs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", job.name());
            row.put("type", job.type().label());
            row.put("schedule", job.schedule().expression());
            row.put("time_zone", job.schedule().zone().getId());
            row.put("next_run", Optional.ofNullable(next.get(job.name())).map(p -> p.due().toString()).orElse(null));
            row.put("running", executor.isRunning(job.name()));
            List<JobRun> history = state.history(job.name());
            row.put("last_run", history.isEmpty() ? null : history.get(history.size() - 1));
            rows.add(row);
        }
        Exchanges.json(exchange, 200, Map.of("jobs", rows));
    }

    private void trigger(HttpExchange exchange, String name) throws IOException {
        Optional<ServiceConfig.Job> job = config.job(name);
        if (job.isEmpty()) {
            Exchanges.error(exchange, 404, "no job " + name);
            return;
        }
        JobExecutor.Started started = executor.start(job.get(), "api", null);
        switch (started.outcome()) {
            case STARTED -> Exchanges.json(exchange, 202, Map.of("job", name, "run_id", started.runId()));
            case STOPPING -> Exchanges.error(exchange, 503, started.detail());
            default -> Exchanges.error(exchange, 409, name + " was not started: " + started.detail());
        }
    }

    private void history(HttpExchange exchange, String name) throws IOException {
        if (config.job(name).isEmpty()) {
            Exchanges.error(exchange, 404, "no job " + name);
            return;
        }
        List<JobRun> runs = new ArrayList<>(state.history(name));
        Collections.reverse(runs);
        Exchanges.json(exchange, 200, Map.of("job", name, "runs", runs));
    }

    private static void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        Exchanges.error(exchange, 405, "method not allowed; use " + allowed);
    }
}
