package dev.bbr.service;

import dev.bbr.service.config.Durations;
import dev.bbr.service.config.ServiceConfig;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What {@code bbr service validate} prints for a valid config: each job and its next run times. */
public final class ServiceValidation {
    static final int NEXT_RUNS = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private ServiceValidation() {}

    public static List<String> describe(ServiceConfig config, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add(config.file() + ": valid; " + config.jobs().size() + " job" + (config.jobs().size() == 1 ? "" : "s")
                + ", destination " + config.destinationName());
        for (ServiceConfig.Job job : config.jobs()) {
            String what = switch (job.type()) {
                case BACKUP, VERIFY -> job.selection().toString();
                case PRUNE -> "every deployment in the destination";
                case DRILL -> job.drill().map(d -> d.source() + " into " + d.target().name()).orElse("");
            };
            StringBuilder line = new StringBuilder("  " + job.name() + " (" + job.type().label() + " " + what + "): "
                    + job.schedule().expression() + " " + job.schedule().zone().getId());
            if (!job.jitter().isZero()) {
                line.append(", jitter up to ").append(Durations.format(job.jitter()));
            }
            line.append(", missed runs: ").append(job.missed() == ServiceConfig.Missed.RUN_ONCE ? "run once" : "skip");
            lines.add(line.toString());
            Instant cursor = now;
            List<String> next = new ArrayList<>();
            for (int i = 0; i < NEXT_RUNS; i++) {
                Optional<Instant> n = job.schedule().next(cursor);
                if (n.isEmpty()) {
                    break;
                }
                next.add(TIME.format(ZonedDateTime.ofInstant(n.get(), job.schedule().zone())));
                cursor = n.get();
            }
            lines.add("    next: " + (next.isEmpty() ? "never" : String.join(", ", next)));
        }
        config.notifications().digest().ifPresent(d -> lines.add("  digest: " + d.expression() + " " + d.zone().getId()
                + ", next " + d.next(now).map(n -> TIME.format(ZonedDateTime.ofInstant(n, d.zone()))).orElse("never")));
        config.http().ifPresent(h -> lines.add("  http: " + h.host() + ":" + h.port() + " (token from "
                + h.token().source() + ")"));
        return lines;
    }
}
