package dev.bbr.service.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A job's cron schedule in its time zone: 5 fields (minute hour day-of-month month day-of-week, as
 * crontab), or 6 with a leading seconds field (as service-backup's cron takes it). Parsed and
 * evaluated by cron-utils, so daylight-saving changes and {@code L}/ranges/steps behave as crontab.
 */
public final class CronSchedule {
    private static final CronParser FIVE_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SIX_FIELDS = new CronParser(withSeconds());

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime execution;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime execution) {
        this.expression = expression;
        this.zone = zone;
        this.execution = execution;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        String trimmed = expression.trim();
        String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        boolean nickname = fields.length == 1 && trimmed.startsWith("@");
        if (!nickname && fields.length != 5 && fields.length != 6) {
            throw new IllegalArgumentException("\"" + expression + "\" has " + fields.length + " fields; give 5 (minute"
                    + " hour day-of-month month day-of-week) or 6 (a leading seconds field, then those 5)");
        }
        Cron cron;
        try {
            cron = (fields.length == 6 ? SIX_FIELDS : FIVE_FIELDS).parse(trimmed).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + expression + "\" is not a valid cron schedule: "
                    + oneLine(e.getMessage()));
        }
        CronSchedule schedule = new CronSchedule(trimmed, zone, ExecutionTime.forCron(cron));
        if (schedule.next(Instant.EPOCH).isEmpty() && schedule.next(Instant.now()).isEmpty()) {
            throw new IllegalArgumentException("\"" + expression + "\" never runs");
        }
        return schedule;
    }

    /** The first time strictly after {@code after}, or empty when the schedule never runs again. */
    public Optional<Instant> next(Instant after) {
        return execution.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }

    /** crontab's fields with a leading seconds field, as cron-utils defines crontab itself. */
    private static CronDefinition withSeconds() {
        return CronDefinitionBuilder.defineCron()
                .withSeconds().withValidRange(0, 59).withStrictRange().and()
                .withMinutes().withValidRange(0, 59).withStrictRange().and()
                .withHours().withValidRange(0, 23).withStrictRange().and()
                .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
                .withMonth().withValidRange(1, 12).withStrictRange().and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
                .instance();
    }

    private static String oneLine(String message) {
        return message == null ? "unreadable" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
