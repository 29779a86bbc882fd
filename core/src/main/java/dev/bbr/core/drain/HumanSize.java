package dev.bbr.core.drain;

/** Sizes the way {@code du -h} prints them (bbr shows du's output in "Copying backup -- 4.0K uncompressed"). */
public final class HumanSize {
    private static final String[] UNITS = {"K", "M", "G", "T", "P"};

    private HumanSize() {}

    /** Filesystems allocate whole blocks; 4 KiB is what ext4 and xfs use on BOSH jumpboxes. */
    static final long BLOCK = 4096;

    /**
     * What {@code du -sh FILE} prints for a file of this many bytes (not sparse, 4 KiB blocks): its
     * size rounded up to whole blocks, in du's units ({@code 4.0K}, {@code 12K}, {@code 1.5M}). bbr
     * shows exactly that for the artifact it is about to upload.
     */
    public static String ofDiskUsage(long bytes) {
        if (bytes <= 0) {
            return "0";
        }
        return of((bytes + BLOCK - 1) / BLOCK * BLOCK);
    }

    public static String of(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        // du rounds up and shows one decimal below 10
        if (value < 10) {
            return String.format(java.util.Locale.ROOT, "%.1f%s", Math.ceil(value * 10) / 10, UNITS[unit]);
        }
        return (long) Math.ceil(value) + UNITS[unit];
    }
}
