package dev.bbr.artifacts.destination;

/**
 * Guards names used inside a backup directory. Names come from instance group and job names reported
 * by the Director and VMs; a name with a separator or {@code ..} would write outside the backup.
 */
final class FileNames {
    private FileNames() {
    }

    static String requirePlain(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        return name;
    }
}
