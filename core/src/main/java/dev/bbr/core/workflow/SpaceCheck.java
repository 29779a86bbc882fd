package dev.bbr.core.workflow;

import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.core.drain.HumanSize;
import dev.bbr.core.errors.BbrError;
import dev.bbr.core.errors.ErrorKind;
import dev.bbr.core.log.Log;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Does the backup fit where it goes? Checked once the backup scripts have run (so every artifact's
 * size is known) and before the first byte is drained, so that a full jumpbox disk stops the run
 * at once instead of at the end of a long drain, with other tools on the jumpbox starved of space.
 * The bound is the artifacts' plaintext total: a compressed backup stores less, so it may be
 * refused although it would have fit, never the other way round. Stores without such a limit
 * (object storage) report no free space and are not checked.
 */
final class SpaceCheck {
    private final long minFreeSpace;
    private final Log log;

    /** @param minFreeSpace bytes to leave free; {@link BackupOptions#NO_SPACE_CHECK} turns the check off */
    SpaceCheck(long minFreeSpace, Log log) {
        this.minFreeSpace = minFreeSpace;
        this.log = log;
    }

    /** The error to stop with, or empty when the artifacts fit (or nothing is checked). */
    Optional<BbrError> check(BackupDestination destination, long artifactBytes) {
        if (minFreeSpace == BackupOptions.NO_SPACE_CHECK) {
            log.debug("Free space check skipped (--min-free-space off)");
            return Optional.empty();
        }
        OptionalLong free = destination.freeSpace();
        if (free.isEmpty()) {
            log.debug("Free space check skipped: " + destination.location() + " has no free-space limit");
            return Optional.empty();
        }
        log.debug("Free space in " + destination.location() + ": " + free.getAsLong() + " bytes; the artifacts need "
                + artifactBytes + " bytes, " + minFreeSpace + " bytes stay free");
        if (artifactBytes + minFreeSpace <= free.getAsLong()) {
            return Optional.empty();
        }
        return Optional.of(BbrError.of(ErrorKind.GENERAL, "Not enough free space for the backup in "
                + destination.location() + ": the artifacts need " + describe(artifactBytes) + " uncompressed and "
                + describe(free.getAsLong()) + " is free, of which --min-free-space keeps " + describe(minFreeSpace)));
    }

    private static String describe(long bytes) {
        return HumanSize.of(bytes) + " (" + bytes + " bytes)";
    }
}
