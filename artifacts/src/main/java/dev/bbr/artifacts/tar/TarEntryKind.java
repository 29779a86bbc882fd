package dev.bbr.artifacts.tar;

/** Tar entries that carry no file content of their own and are therefore not in the checksum map. */
public enum TarEntryKind {
    SYMBOLIC_LINK("symlink"),
    /** A hard link whose target was not an earlier regular file of the same archive. */
    UNRESOLVED_HARD_LINK("hard link to a file not in the archive"),
    CHARACTER_DEVICE("character device"),
    BLOCK_DEVICE("block device"),
    FIFO("fifo"),
    OTHER("unsupported entry type");

    private final String description;

    TarEntryKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Devices and fifos must never be extracted as root on a VM during restore. */
    public boolean isDevice() {
        return this == CHARACTER_DEVICE || this == BLOCK_DEVICE || this == FIFO;
    }
}
