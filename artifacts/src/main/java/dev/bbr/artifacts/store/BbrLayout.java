package dev.bbr.artifacts.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Go bbr's backup layout, the one place names are computed: the backup is {@code
 * <deployment>_<YYYYMMDDTHHMMSSZ>} (UTC, Go layout {@code 20060102T150405Z}) holding {@code metadata},
 * {@code manifest.yml} and one tar per artifact, {@code <group>-<index>-<job>.tar} or
 * {@code <custom name>.tar}. Every store adapter names files through here, so a backup written to
 * any store has the same names.
 */
public final class BbrLayout {
    public static final String METADATA_FILE = "metadata";
    public static final String TAR_SUFFIX = ".tar";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private BbrLayout() {
    }

    /** {@code <name>_<YYYYMMDDTHHMMSSZ>}. */
    public static String backupName(String deployment, Instant time) {
        return deployment + "_" + TIMESTAMP.format(time);
    }

    /** The tar's file name inside the backup. */
    public static String fileName(ArtifactId id) {
        return fileName(id, "");
    }

    /**
     * The stored file's name: the tar's, plus the suffix of how it is stored ({@code .zst.age} for a
     * compressed and encrypted artifact; empty for a plain one, as the Go bbr writes it).
     */
    public static String fileName(ArtifactId id, String storedSuffix) {
        String base = id.isCustom() ? id.customName() : id.group() + "-" + id.index() + "-" + id.job();
        return requirePlain(base + TAR_SUFFIX + storedSuffix);
    }

    /** The deployment part of a backup's name ({@code redis} of {@code redis_20261207T020000Z}), or empty. */
    public static java.util.Optional<String> deploymentOf(String backupName) {
        java.util.regex.Matcher m = BACKUP_NAME.matcher(backupName);
        return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** The time in a backup's name, or empty when the name is not bbr's. */
    public static java.util.Optional<Instant> timeOf(String backupName) {
        java.util.regex.Matcher m = BACKUP_NAME.matcher(backupName);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Instant.from(TIMESTAMP.parse(m.group(2))));
        } catch (java.time.DateTimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static final java.util.regex.Pattern BACKUP_NAME =
            java.util.regex.Pattern.compile("(.+)_(\\d{8}T\\d{6}Z)");

    /**
     * Guards names used inside a backup. They come from instance group and job names reported by
     * the Director and VMs; a name with a separator or {@code ..} would write outside the backup.
     */
    public static String requirePlain(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        return name;
    }
}
