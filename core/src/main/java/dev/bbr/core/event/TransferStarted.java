package dev.bbr.core.event;

import java.util.Map;

/**
 * An artifact starts moving ({@code Copying backup -- 12K uncompressed -- for job redis on redis/0...}).
 *
 * @param direction {@code backup} (instance to store) or {@code restore} (store to instance)
 * @param artifact  the artifact's name in the backup, e.g. {@code redis-0-redis.tar}
 * @param bytes     the size the progress counts against
 */
public record TransferStarted(String direction, String job, String instance, String artifact, long bytes,
        String text) implements Event {
    @Override
    public Level level() {
        return Level.INFO;
    }

    @Override
    public String type() {
        return "transfer_started";
    }

    @Override
    public Map<String, Object> fields() {
        return Fields.of("direction", direction, "job", job, "instance", instance, "artifact", artifact,
                "bytes", bytes);
    }
}
