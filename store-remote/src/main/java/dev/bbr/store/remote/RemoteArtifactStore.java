package dev.bbr.store.remote;

import dev.bbr.artifacts.store.ArtifactStore;
import dev.bbr.artifacts.store.BackupDestination;
import dev.bbr.artifacts.store.BackupSource;
import dev.bbr.artifacts.store.BbrLayout;
import dev.bbr.artifacts.store.IncompleteMarker;
import dev.bbr.artifacts.store.Layout;
import dev.bbr.artifacts.store.RunLock;
import dev.bbr.artifacts.store.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backups in an object store (or any {@link ObjectBackend}), laid out as the local store lays out
 * directories: {@code <root>/<deployment>_<ts>/} ({@link Layout#FLAT}) or {@code
 * <root>/<deployment>/YYYY/MM/DD/<deployment>_<ts>/} ({@link Layout#DATED}), each holding {@code
 * metadata}, the artifacts and, until the run completes, {@value IncompleteMarker#FILE_NAME}. The same
 * semantics as {@code LocalArtifactStore}: the marker is written first and removed last; artifacts appear
 * under their final names only when committed; the metadata is replaced atomically; a name already
 * taken moves the backup to the next second.
 */
public class RemoteArtifactStore implements ArtifactStore {
    /** Give up after this many occupied seconds in a row (as the local store does). */
    static final int MAX_NAME_ATTEMPTS = 10;
    private static final Pattern DATED_KEY =
            Pattern.compile("([^/]+)/(\\d{4})/(\\d{2})/(\\d{2})/([^/]+)/[^/]+");

    protected final ObjectBackend backend;
    protected final Layout layout;
    protected final Clock clock;
    protected final TransferOptions transfer;

    public RemoteArtifactStore(ObjectBackend backend, Layout layout, Clock clock) {
        this(backend, layout, clock, TransferOptions.defaults());
    }

    /** {@code transfer}'s retries also cover a running backup's small writes (metadata, files, marker). */
    public RemoteArtifactStore(ObjectBackend backend, Layout layout, Clock clock, TransferOptions transfer) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.transfer = Objects.requireNonNull(transfer, "transfer");
    }

    public ObjectBackend backend() {
        return backend;
    }

    public Layout layout() {
        return layout;
    }

    @Override
    public BackupDestination createBackup(String deployment) throws StoreException {
        BbrLayout.requirePlain(deployment);
        Instant candidate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        try {
            for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++, candidate = candidate.plusSeconds(1)) {
                String path = layout.pathOf(deployment, candidate);
                String other = otherLayout().pathOf(deployment, candidate);
                // a backup of that name anywhere (either layout) takes the second; so does a racing run
                if (backend.anyUnder(path + "/") || backend.anyUnder(other + "/")) {
                    continue;
                }
                if (backend.createIfAbsent(path + "/" + IncompleteMarker.FILE_NAME,
                        IncompleteMarker.inProgress(clock.instant())).isEmpty()) {
                    continue;
                }
                return new RemoteBackupDestination(backend, path, clock, new Retry(transfer, () -> false));
            }
        } catch (StoreException e) {
            throw new StoreException(StoreException.Reason.CREATE_FAILED, "failed creating artifact directory: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.CREATE_FAILED, "failed creating artifact directory: "
                    + located(e), e);
        }
        throw new StoreException(StoreException.Reason.CREATE_FAILED, "failed creating artifact directory: "
                + backend.describe(deployment) + "_* is taken for " + MAX_NAME_ATTEMPTS + " consecutive seconds");
    }

    @Override
    public List<String> backups() throws StoreException {
        try {
            if (layout == Layout.FLAT) {
                return backend.listChildren("").stream().filter(n -> BbrLayout.timeOf(n).isPresent()).sorted()
                        .toList();
            }
            TreeSet<String> names = new TreeSet<>();
            for (String key : backend.listKeys("")) {
                Matcher m = DATED_KEY.matcher(key);
                if (m.matches() && BbrLayout.deploymentOf(m.group(5)).filter(m.group(1)::equals).isPresent()
                        && datedPathMatches(m)) {
                    names.add(m.group(5));
                }
            }
            return new ArrayList<>(names);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.READ_FAILED, "cannot list backups: " + located(e), e);
        }
    }

    /** The date directories of a dated key are the UTC date in the backup's name. */
    private static boolean datedPathMatches(Matcher m) {
        return BbrLayout.timeOf(m.group(5)).map(t -> Layout.DATED.pathOf(m.group(1), t))
                .filter(p -> p.equals(m.group(1) + "/" + m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/"
                        + m.group(5))).isPresent();
    }

    @Override
    public BackupSource open(String backupName) throws StoreException {
        String path = find(backupName).orElseThrow(() -> new StoreException(StoreException.Reason.NOT_FOUND,
                "Could not open backup: failed opening the directory: stat " + backend.describe(
                        guessPath(backupName)) + ": no such file or directory"));
        return new RemoteBackupSource(backend, path, backupName);
    }

    @Override
    public void delete(String backupName) throws StoreException {
        String path = find(backupName).orElseThrow(() -> new StoreException(StoreException.Reason.NOT_FOUND,
                "stat " + backend.describe(guessPath(backupName)) + ": no such file or directory"));
        try {
            List<String> keys = new ArrayList<>(backend.listKeys(path + "/"));
            // metadata first: a half-deleted backup can never be restored; the marker last of all
            String metadata = path + "/" + dev.bbr.artifacts.store.BbrLayout.METADATA_FILE;
            keys.sort(Comparator.comparing((String k) -> !k.equals(metadata))
                    .thenComparing(k -> k.endsWith("/" + IncompleteMarker.FILE_NAME)));
            for (String key : keys) {
                backend.delete(key);
            }
            backend.cleanUpAfterDelete(path + "/");
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot delete " + backend.describe(path)
                    + ": " + located(e), e);
        }
    }

    @Override
    public void annotate(String backupName, String fileName, byte[] content) throws StoreException {
        BbrLayout.requirePlain(fileName);
        String path = find(backupName).orElseThrow(() -> new StoreException(StoreException.Reason.NOT_FOUND,
                "stat " + backend.describe(guessPath(backupName)) + ": no such file or directory"));
        String key = path + "/" + fileName;
        try {
            backend.write(key, content);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.WRITE_FAILED, "cannot write " + backend.describe(key) + ": "
                    + Retry.oneLine(e), e);
        }
    }

    @Override
    public RunLock lock(String deployment, RunLock.Owner owner, Duration staleAfter) throws StoreException {
        return RemoteRunLock.acquire(backend, location(), deployment, owner, staleAfter, clock);
    }

    @Override
    public List<String> unlock(String deploymentOrAll) throws StoreException {
        return RemoteRunLock.remove(backend, location(), deploymentOrAll);
    }

    @Override
    public String location() {
        return backend.describe("");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + location() + ", " + layout.label() + "]";
    }

    /** Where a backup of this name is: this store's layout first, then the other one. */
    public Optional<String> find(String backupName) throws StoreException {
        BbrLayout.requirePlain(backupName);
        Optional<String> deployment = BbrLayout.deploymentOf(backupName);
        Optional<Instant> time = BbrLayout.timeOf(backupName);
        List<String> candidates = new ArrayList<>();
        if (deployment.isPresent() && time.isPresent()) {
            candidates.add(layout.pathOf(deployment.get(), time.get()));
            candidates.add(otherLayout().pathOf(deployment.get(), time.get()));
        } else {
            candidates.add(backupName); // not bbr's name: only a flat directory can be it
        }
        try {
            for (String path : candidates) {
                if (backend.anyUnder(path + "/")) {
                    return Optional.of(path);
                }
            }
            return Optional.empty();
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.READ_FAILED, "cannot read backups: " + located(e), e);
        }
    }

    /** The failure's message, naming this store's location unless the backend's text already does. */
    private String located(Exception e) {
        String m = Retry.oneLine(e);
        return m.contains(location()) ? m : location() + ": " + m;
    }

    private String guessPath(String backupName) {
        Optional<String> deployment = BbrLayout.deploymentOf(backupName);
        Optional<Instant> time = BbrLayout.timeOf(backupName);
        return deployment.isPresent() && time.isPresent() ? layout.pathOf(deployment.get(), time.get()) : backupName;
    }

    private Layout otherLayout() {
        return layout == Layout.FLAT ? Layout.DATED : Layout.FLAT;
    }
}
