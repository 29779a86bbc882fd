package dev.bbr.artifacts.tar;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Decides what a tar entry is. The order matters: commons-compress's {@code isFile()} is true for
 * anything that is not a directory (symlinks included), so every special type is checked first.
 */
final class TarEntryClassifier {

    enum EntryClass { DIRECTORY, REGULAR, HARD_LINK, SPECIAL }

    private TarEntryClassifier() {
    }

    static EntryClass classify(TarArchiveEntry entry) {
        if (entry.isDirectory()) {
            return EntryClass.DIRECTORY;
        }
        if (entry.isLink()) {
            return EntryClass.HARD_LINK;
        }
        if (special(entry) != null) {
            return EntryClass.SPECIAL;
        }
        return EntryClass.REGULAR;
    }

    /** The kind of a non-regular, non-directory entry; null when the entry holds file content. */
    static TarEntryKind special(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return TarEntryKind.SYMBOLIC_LINK;
        }
        if (entry.isCharacterDevice()) {
            return TarEntryKind.CHARACTER_DEVICE;
        }
        if (entry.isBlockDevice()) {
            return TarEntryKind.BLOCK_DEVICE;
        }
        if (entry.isFIFO()) {
            return TarEntryKind.FIFO;
        }
        if (entry.isLink()) {
            return TarEntryKind.UNRESOLVED_HARD_LINK;
        }
        return holdsContent(entry) ? null : TarEntryKind.OTHER;
    }

    /**
     * Regular ('0', NUL), contiguous ('7') and the sparse variants carry file content. Anything else
     * (volume labels, multi-volume continuations, vendor types) is reported rather than hashed.
     */
    private static boolean holdsContent(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM
                || flag == TarArchiveEntry.LF_CONTIG || entry.isSparse();
    }
}
