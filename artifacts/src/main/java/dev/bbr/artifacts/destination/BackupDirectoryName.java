package dev.bbr.artifacts.destination;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** bbr's directory name: {@code <name>_<YYYYMMDDTHHMMSSZ>}, timestamp in UTC (Go layout {@code 20060102T150405Z}). */
public final class BackupDirectoryName {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private BackupDirectoryName() {
    }

    public static String of(String name, Instant time) {
        return name + "_" + TIMESTAMP.format(time);
    }
}
