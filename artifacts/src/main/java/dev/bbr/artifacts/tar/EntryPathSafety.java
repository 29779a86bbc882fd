package dev.bbr.artifacts.tar;

import java.util.Optional;

/**
 * Restore runs {@code sudo tar -x} on the VM, so a name that escapes the target directory is a root
 * write anywhere on the VM. GNU tar strips such names with a warning, but the artifact is then not what
 * the metadata describes; we refuse before uploading.
 */
final class EntryPathSafety {
    private EntryPathSafety() {
    }

    static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("empty name");
        }
        if (name.startsWith("/")) {
            return Optional.of("absolute path");
        }
        if (name.indexOf('\0') >= 0) {
            return Optional.of("NUL in name");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                return Optional.of("'..' path segment");
            }
        }
        return Optional.empty();
    }
}
