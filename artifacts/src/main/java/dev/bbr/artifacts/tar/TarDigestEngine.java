package dev.bbr.artifacts.tar;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The single-pass core shared by the drain (push everything to a file) and the restore upload (pull
 * through a stream): parse the tar while every raw byte is recorded to a sink, hash regular files,
 * and after the last entry keep reading to EOF so padding reaches the sink too.
 *
 * <p>Work is done in small {@link #step()}s (one header, or at most 64 KiB of data) so a pull-style
 * caller can interleave; memory stays flat whatever the archive size.
 */
final class TarDigestEngine {
    static final int BUFFER_SIZE = 64 * 1024;

    private enum State { PARSING, DRAINING, DONE }

    private final RecordingInputStream recorder;
    private final TarArchiveInputStream tar;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final Map<String, String> checksums = new LinkedHashMap<>();
    private final Map<String, TarEntryKind> unhashed = new LinkedHashMap<>();
    private final Map<String, String> unsafe = new LinkedHashMap<>();
    /** Names of symlink entries seen so far (normalised, no leading "./" or trailing "/"). */
    private final java.util.Set<String> symlinks = new java.util.HashSet<>();
    private State state = State.PARSING;
    private MessageDigest digest;
    private String currentName;
    private int entryCount;
    private String parserFailure;

    TarDigestEngine(InputStream raw, OutputStream sink, LongConsumer progress) {
        // Buffer below the recorder: header reads are 512 bytes and must not each hit the network.
        this.recorder = new RecordingInputStream(new BufferedInputStream(raw, BUFFER_SIZE), sink, progress);
        this.tar = openParser(recorder);
    }

    private static TarArchiveInputStream openParser(InputStream in) {
        // Names are UTF-8 on BOSH stemcells; the platform default charset is not a safe assumption.
        return new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
    }

    /** Runs to the end of the input. */
    TarChecksums run() throws IOException {
        while (step()) {
            // each step does a bounded amount of work
        }
        return result();
    }

    /** Does one unit of work; returns false once the input is exhausted. Source/sink failures propagate. */
    boolean step() throws IOException {
        switch (state) {
            case PARSING -> {
                try {
                    parseStep();
                } catch (IOException | RuntimeException e) {
                    recorder.rethrowTransportFailure();
                    parserGaveUp(e);
                }
                return true;
            }
            case DRAINING -> {
                if (recorder.read(buffer, 0, buffer.length) < 0) {
                    state = State.DONE;
                    return false;
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** True once the parser has read the end-of-archive marker (or given up): only padding may follow. */
    boolean passedEndOfArchive() {
        return state != State.PARSING;
    }

    /** Bytes recorded to the sink so far. */
    long bytesRecorded() {
        return recorder.total();
    }

    TarChecksums result() {
        if (state != State.DONE) {
            throw new IllegalStateException("tar stream not fully read yet");
        }
        VerificationStatus status;
        String detail = null;
        if (!recorder.endsLikeCompleteTar()) {
            status = VerificationStatus.MALFORMED;
            detail = "not a complete tar archive (" + recorder.total() + " bytes, no end-of-archive marker)"
                    + (parserFailure == null ? "" : ": " + parserFailure);
        } else if (parserFailure != null) {
            status = VerificationStatus.UNAVAILABLE;
            detail = "tar parser could not read the archive: " + parserFailure;
        } else {
            status = VerificationStatus.VERIFIED;
        }
        return new TarChecksums(checksums, recorder.total(), entryCount, unhashed, unsafe, status, detail);
    }

    private void parseStep() throws IOException {
        if (digest != null) {
            int n = tar.read(buffer, 0, buffer.length);
            if (n < 0) {
                checksums.put(currentName, HexFormat.of().formatHex(digest.digest()));
                digest = null;
            } else {
                digest.update(buffer, 0, n);
            }
            return;
        }
        TarArchiveEntry entry = tar.getNextEntry();
        if (entry == null) {
            state = State.DRAINING;
            return;
        }
        entryCount++;
        accept(entry);
    }

    private void accept(TarArchiveEntry entry) {
        String name = entry.getName();
        EntryPathSafety.problem(name).ifPresent(problem -> unsafe.put(name, problem));
        throughSymlink(name).ifPresent(link -> unsafe.put(name, "path through the symlink " + link));
        if (entry.isSymbolicLink()) {
            symlinks.add(normalise(name));
        }
        switch (TarEntryClassifier.classify(entry)) {
            case DIRECTORY -> {
                // not hashed: `find -type f` does not list directories either
            }
            case REGULAR -> {
                digest = newDigest();
                currentName = name;
            }
            case HARD_LINK -> acceptHardLink(name, entry.getLinkName());
            case SPECIAL -> {
                TarEntryKind kind = TarEntryClassifier.special(entry);
                if (kind.isDevice()) {
                    unsafe.put(name, kind.description());
                }
                unhashed.put(name, kind);
            }
        }
    }

    /**
     * An entry below a symlink of the same archive ({@code link -> /etc}, then {@code link/cron.d/x}):
     * extracting it as root writes wherever the link points, outside the artifact directory.
     * GNU tar defers such links, but we refuse before uploading rather than rely on the VM's tar.
     */
    private java.util.Optional<String> throughSymlink(String name) {
        String path = normalise(name);
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            String prefix = path.substring(0, slash);
            if (symlinks.contains(prefix)) {
                return java.util.Optional.of(prefix);
            }
        }
        return java.util.Optional.empty();
    }

    private static String normalise(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.replaceAll("/+", "/").replace("/./", "/");
    }

    /** GNU tar stores a second name of a file as a link to the first; `find -type f` lists both with content. */
    private void acceptHardLink(String name, String target) {
        EntryPathSafety.problem(target).ifPresent(problem -> unsafe.put(name, "hard link target: " + problem));
        String targetDigest = checksums.get(target);
        if (targetDigest != null) {
            checksums.put(name, targetDigest);
        } else {
            unhashed.put(name, TarEntryKind.UNRESOLVED_HARD_LINK);
        }
    }

    private void parserGaveUp(Exception e) {
        parserFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        digest = null;
        state = State.DRAINING;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
