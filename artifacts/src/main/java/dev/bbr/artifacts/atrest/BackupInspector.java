package dev.bbr.artifacts.atrest;

import dev.bbr.artifacts.codec.AgeIdentities;
import dev.bbr.artifacts.codec.WrongIdentityException;
import dev.bbr.artifacts.metadata.ArtifactChecksums;
import dev.bbr.artifacts.metadata.BackupMetadata;
import dev.bbr.artifacts.metadata.InstanceMetadata;
import dev.bbr.artifacts.store.ArtifactId;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.validate.ArtifactValidator;
import dev.bbr.artifacts.validate.ValidationProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bbr artifacts list} and {@code verify} know about a backup, read from any store. Verify
 * never writes anything: a deep check streams every artifact through its codec and the tar hasher.
 */
public final class BackupInspector {
    private BackupInspector() {}

    /** One line of {@code bbr artifacts list}. */
    public static BackupSummary summarize(BackupSource backup) throws IOException {
        String name = backup.name();
        String deployment = BbrLayout.deploymentOf(name).orElse(name);
        Instant time = BbrLayout.timeOf(name).orElse(Instant.EPOCH);
        Optional<String> incomplete = backup.incompleteReason();
        Optional<byte[]> sidecarJson = backup.readFile(Sidecar.FILE_NAME);
        Sidecar sidecar = null;
        String detail = incomplete.orElse("");
        if (sidecarJson.isPresent()) {
            try {
                sidecar = Sidecar.parse(sidecarJson.get());
            } catch (IOException e) {
                return new BackupSummary(name, deployment, time, 0, BackupState.INCOMPLETE, "?", e.getMessage());
            }
        }
        // no sidecar yet: a run of ours still writing (or one that failed) says nothing about its codec
        String codec = sidecar == null ? (incomplete.isPresent() ? "-" : "plain (Go bbr)")
                : dev.bbr.artifacts.codec.ArtifactCodec.fromDescription(sidecar.codec().description()).toString();
        long size = sidecar != null ? sidecar.storedBytes() : legacySize(backup);
        BackupState state;
        if (incomplete.isPresent()) {
            state = BackupState.INCOMPLETE;
        } else if (sidecar == null && !legacyFinished(backup)) {
            state = BackupState.INCOMPLETE;
            detail = "no " + Sidecar.FILE_NAME + " and no finish time in the metadata";
        } else {
            Optional<byte[]> verified = backup.readFile(Verified.FILE_NAME);
            state = verified.isPresent() ? BackupState.VERIFIED : BackupState.COMPLETE;
            if (verified.isPresent()) {
                try {
                    detail = "verified " + Verified.parse(verified.get()).verifiedAt();
                } catch (IOException e) {
                    state = BackupState.COMPLETE;
                }
            }
        }
        return new BackupSummary(name, deployment, time, size, state, codec, detail);
    }

    /**
     * Verifies one backup. Without a usable identity an encrypted backup gets the keyless check:
     * structure, the metadata against its recorded SHA-256, and every stored file's size and SHA-256.
     * Otherwise every artifact is decoded and every file's SHA-256 matched against bbr's metadata, in
     * one pass that also checks the stored bytes.
     */
    public static VerifyResult verify(BackupSource backup, AgeIdentities identities) {
        String name = backup.name();
        List<String> problems = new ArrayList<>();
        try {
            backup.incompleteReason().ifPresent(r -> problems.add("the backup is incomplete: " + r));
            if (!problems.isEmpty()) {
                return new VerifyResult(name, VerifyResult.Verdict.FAILED, problems, 0, 0, 0);
            }
            AtRestSource source = AtRestSource.open(backup, identities);
            BackupMetadata metadata = backup.readMetadata();
            List<ArtifactId> ids = artifactIds(metadata);
            Optional<Sidecar> sidecar = source.sidecar();
            if (sidecar.isPresent()) {
                checkRecordedFile(backup, sidecar.get(), BbrLayout.METADATA_FILE, problems);
            }
            long stored = 0;
            for (ArtifactId id : ids) {
                try {
                    stored += backup.storedSize(id, source.codec().suffix());
                } catch (IOException e) {
                    problems.add(e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                return new VerifyResult(name, VerifyResult.Verdict.FAILED, problems, ids.size(), 0, stored);
            }
            boolean deep = !source.codec().isEncrypted() || !identities.isEmpty();
            if (deep) {
                try {
                    source.requireUsableIdentities();
                } catch (WrongIdentityException e) {
                    return new VerifyResult(name, VerifyResult.Verdict.WRONG_IDENTITY, List.of(e.getMessage()),
                            ids.size(), 0, stored);
                }
                List<ValidationProblem> found = new ArtifactValidator().validate(source);
                found.forEach(p -> problems.add(p.message()));
                long files = metadata.instances().stream().flatMap(i -> i.artifacts().stream())
                        .mapToLong(a -> a.checksums().size()).sum()
                        + metadata.customArtifacts().stream().mapToLong(a -> a.checksums().size()).sum();
                return new VerifyResult(name, problems.isEmpty() ? VerifyResult.Verdict.VERIFIED
                        : VerifyResult.Verdict.FAILED, problems, ids.size(), problems.isEmpty() ? files : 0, stored);
            }
            for (ArtifactId id : ids) {
                try (InputStream in = source.openStored(id)) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    problems.add(e.getMessage());
                }
            }
            return new VerifyResult(name, problems.isEmpty() ? VerifyResult.Verdict.STORED_FILES_OK
                    : VerifyResult.Verdict.FAILED, problems, ids.size(), 0, stored);
        } catch (IOException e) {
            problems.add(e.getMessage());
            return new VerifyResult(name, VerifyResult.Verdict.FAILED, problems, 0, 0, 0);
        }
    }

    /** The artifacts bbr's metadata lists, logically named. */
    public static List<ArtifactId> artifactIds(BackupMetadata metadata) {
        List<ArtifactId> ids = new ArrayList<>();
        for (InstanceMetadata instance : metadata.instances()) {
            for (ArtifactChecksums artifact : instance.artifacts()) {
                ids.add(ArtifactId.of(instance.name(), instance.index(), artifact.name()));
            }
        }
        for (ArtifactChecksums custom : metadata.customArtifacts()) {
            ids.add(ArtifactId.custom(custom.name()));
        }
        return ids;
    }

    private static void checkRecordedFile(BackupSource backup, Sidecar sidecar, String file, List<String> problems)
            throws IOException {
        Optional<Sidecar.StoredFile> recorded = sidecar.files().stream().filter(f -> f.file().equals(file))
                .findFirst();
        Optional<byte[]> content = backup.readFile(file);
        if (recorded.isEmpty() || content.isEmpty()) {
            problems.add(file + (content.isEmpty() ? " is missing" : " is not recorded in " + Sidecar.FILE_NAME));
            return;
        }
        String actual = Digests.sha256(content.get());
        if (!actual.equals(recorded.get().sha256())) {
            problems.add(file + " does not match " + Sidecar.FILE_NAME + " (it was changed after the backup):"
                    + " SHA-256 " + actual + ", recorded " + recorded.get().sha256());
        }
    }

    private static long legacySize(BackupSource backup) {
        try {
            long total = 0;
            for (ArtifactId id : artifactIds(backup.readMetadata())) {
                total += backup.storedSize(id, "");
            }
            return total;
        } catch (IOException e) {
            return 0;
        }
    }

    /** A Go bbr backup has no marker and no sidecar: it finished when its metadata says so. */
    private static boolean legacyFinished(BackupSource backup) {
        try {
            return backup.readMetadata().backupActivity().map(a -> a.finishTime().isPresent()).orElse(true);
        } catch (IOException e) {
            return false;
        }
    }
}
