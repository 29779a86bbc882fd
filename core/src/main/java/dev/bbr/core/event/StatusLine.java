package dev.bbr.core.event;

import java.util.Map;

/**
 * A plain line bbr prints on stdout outside its log: {@code [15:04:05] Deployment 'redis' can be backed
 * up.}, {@code Starting backup...}, the {@code --all-deployments} progress lines, the cleanup advice.
 *
 * @param text      the line as printed (with its {@code [HH:MM:SS] } prefix when bbr adds one)
 * @param kind      what it says, for JSON readers (e.g. {@code can_be_backed_up}, {@code pending})
 * @param subject   the deployment it is about, if any
 */
public record StatusLine(String text, String kind, String subject) implements Event {
    @Override
    public Level level() {
        return Level.INFO;
    }

    @Override
    public String type() {
        return "status";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("kind", kind, "subject", subject);
    }

    @Override
    public Stream stream() {
        return Stream.STDOUT;
    }
}
