package dev.bbr.artifacts.atrest;

import java.util.List;

/**
 * The verdict on one backup ({@code bbr artifacts verify}).
 *
 * @param problems    why it failed (empty unless {@code verdict} is FAILED or WRONG_IDENTITY)
 * @param artifacts   artifacts checked
 * @param files       files whose SHA-256 was matched against bbr's metadata (0 when contents were not read)
 * @param storedBytes bytes read from the store
 */
public record VerifyResult(String backup, Verdict verdict, List<String> problems, int artifacts, long files,
        long storedBytes) {

    public enum Verdict {
        /** Every stored file matched its record and every file inside matched bbr's metadata. */
        VERIFIED,
        /** Encrypted and no identity given: structure and stored SHA-256s checked, contents not read. */
        STORED_FILES_OK,
        /** An identity was given but none is a recipient of the backup. */
        WRONG_IDENTITY,
        /** Incomplete, damaged, tampered with or missing files. */
        FAILED
    }

    public boolean passed() {
        return verdict == Verdict.VERIFIED || verdict == Verdict.STORED_FILES_OK;
    }
}
