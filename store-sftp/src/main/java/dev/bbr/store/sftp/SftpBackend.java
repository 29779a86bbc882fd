package dev.bbr.store.sftp;

import dev.bbr.artifacts.store.ArtifactOutput;
import dev.bbr.artifacts.store.StoreException;
import dev.bbr.store.remote.ObjectBackend;
import dev.bbr.store.remote.PartSink;
import dev.bbr.store.remote.PartUploadOutput;
import dev.bbr.store.remote.TransferOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;

/**
 * {@link ObjectBackend} over a directory on an SFTP server: keys are paths below it. Small files are
 * written to a temporary name and renamed over the target ({@code posix-rename@openssh.com}, atomic);
 * the run lock is created with an exclusive open ({@code EXCL}); a conditional replace compares the
 * SHA-256 of the content under a short-lived {@code .guard} file, itself created exclusively. Artifacts
 * are written to {@code <name>.partial} at part offsets and renamed on commit. Emptied directories are
 * removed, so a deleted backup leaves nothing behind, as on an object store.
 */
final class SftpBackend implements ObjectBackend {
    private static final Set<OpenMode> READ = EnumSet.of(OpenMode.READ);
    private static final Set<OpenMode> CREATE_EXCLUSIVE = EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL);
    private static final Set<OpenMode> CREATE_TRUNCATE = EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC);
    private static final Set<OpenMode> REOPEN = EnumSet.of(OpenMode.WRITE, OpenMode.CREAT);
    /** A guard older than this belongs to a run that died between taking and removing it. */
    private static final long GUARD_STALE_SECONDS = 60;
    private static final int MAX_UNCONFIRMED_WRITES = 32;
    /** OpenSSH's channel packets are 32 KiB: one request per packet. */
    private static final int WRITE_CHUNK = 32 * 1024 - 64;

    private final SftpSession session;
    private final SftpLocation root;
    private final TransferOptions transfer;
    private volatile boolean rootChecked;

    SftpBackend(SftpSession session, SftpLocation root, TransferOptions transfer) {
        this.session = session;
        this.root = root;
        this.transfer = transfer;
    }

    SftpSession session() {
        return session;
    }

    TransferOptions transfer() {
        return transfer;
    }

    @Override
    public String describe(String key) {
        String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return k.isEmpty() ? root.toString() : root + "/" + k;
    }

    private String path(String key) {
        String dir = root.directory();
        if (key.isEmpty()) {
            return dir;
        }
        if (dir.equals(".")) {
            return key;
        }
        return dir.endsWith("/") ? dir + key : dir + "/" + key;
    }

    @Override
    public Optional<Versioned> read(String key) throws IOException {
        try {
            return session.call(sftp -> readFile(sftp, path(key))).map(b -> new Versioned(b, sha256(b)));
        } catch (IOException e) {
            throw translate("reading", key, false, e);
        }
    }

    private static Optional<byte[]> readFile(SFTPClient sftp, String path) throws IOException {
        RemoteFile file;
        try {
            file = sftp.open(path, READ);
        } catch (SFTPException e) {
            if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw e;
        }
        try (file; InputStream in = file.new ReadAheadRemoteFileInputStream(4)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return Optional.of(out.toByteArray());
        }
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        try {
            FileAttributes a = session.call(sftp -> sftp.statExistence(path(key)));
            return a == null || a.getType() != FileMode.Type.REGULAR ? Optional.empty() : Optional.of(a.getSize());
        } catch (IOException e) {
            throw translate("reading the size of", key, false, e);
        }
    }

    @Override
    public InputStream openStream(String key) throws IOException {
        RemoteFile file;
        try {
            file = session.call(sftp -> sftp.open(path(key), READ));
        } catch (SFTPException e) {
            if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, "open " + describe(key)
                        + ": no such file or directory");
            }
            throw translate("reading", key, false, e);
        } catch (IOException e) {
            throw translate("reading", key, false, e);
        }
        InputStream in = file.new ReadAheadRemoteFileInputStream(MAX_UNCONFIRMED_WRITES);
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    file.close();
                }
            }
        };
    }

    @Override
    public void write(String key, byte[] content) throws IOException {
        try {
            mkdirsFor(key);
            session.call(sftp -> {
                replaceAtomically(sftp, path(key), content);
                return null;
            });
        } catch (IOException e) {
            throw translate("writing", key, true, e);
        }
    }

    private void replaceAtomically(SFTPClient sftp, String target, byte[] content) throws IOException {
        int slash = target.lastIndexOf('/');
        String temp = (slash < 0 ? "" : target.substring(0, slash + 1)) + "." + target.substring(slash + 1) + ".tmp-"
                + String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
        try (RemoteFile f = sftp.open(temp, CREATE_TRUNCATE)) {
            writeAt(f, 0, content, content.length);
        }
        try {
            posixRename(sftp, temp, target);
        } catch (IOException e) {
            try {
                sftp.rm(temp);
            } catch (IOException ignored) {
                // the rename's failure is what counts
            }
            throw e;
        }
    }

    /** OpenSSH's atomic rename over an existing file; plain SFTP v3 rename refuses an existing target. */
    private static void posixRename(SFTPClient sftp, String from, String to) throws IOException {
        SFTPEngine engine = sftp.getSFTPEngine();
        if (engine.supportsServerExtension("posix-rename", "openssh.com")) {
            Request request = engine.newExtendedRequest("posix-rename@openssh.com");
            request.putString(from).putString(to);
            engine.request(request).retrieve(engine.getTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .ensureStatusPacketIsOK();
            return;
        }
        // not atomic: a reader may briefly miss the file
        if (sftp.statExistence(to) != null) {
            sftp.rm(to);
        }
        sftp.rename(from, to);
    }

    @Override
    public Optional<String> createIfAbsent(String key, byte[] content) throws IOException {
        try {
            mkdirsFor(key);
            return session.call(sftp -> createExclusive(sftp, path(key), content));
        } catch (IOException e) {
            throw translate("creating", key, true, e);
        }
    }

    private static Optional<String> createExclusive(SFTPClient sftp, String path, byte[] content) throws IOException {
        RemoteFile f = null;
        for (int attempt = 0; f == null; attempt++) {
            try {
                f = sftp.open(path, CREATE_EXCLUSIVE);
            } catch (SFTPException e) {
                // SFTP v3 has no "exists" status: OpenSSH answers FAILURE; tell by looking
                if (sftp.statExistence(path) != null) {
                    return Optional.empty();
                }
                if (attempt >= 3) {
                    throw e;
                }
                // it existed when we opened and is gone now (a racing run removed it): try again
            }
        }
        try (RemoteFile created = f) {
            writeAt(created, 0, content, content.length);
        }
        return Optional.of(sha256(content));
    }

    @Override
    public Optional<String> replaceIfMatch(String key, byte[] content, String expectedVersion) throws IOException {
        String guard = key + ".guard";
        try {
            if (!takeGuard(guard)) {
                return Optional.empty(); // another run is replacing it right now
            }
            try {
                Optional<Versioned> current = read(key);
                if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
                    return Optional.empty();
                }
                write(key, content);
                return Optional.of(sha256(content));
            } finally {
                delete(guard, false);
            }
        } catch (IOException e) {
            throw translate("replacing", key, true, e);
        }
    }

    /**
     * Creates the guard exclusively. A guard that vanished meanwhile is simply tried again; only one
     * older than {@value #GUARD_STALE_SECONDS} s (its run died holding it) is removed first.
     */
    private boolean takeGuard(String guard) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (createIfAbsent(guard, new byte[0]).isPresent()) {
                return true;
            }
            FileAttributes a = session.call(sftp -> sftp.statExistence(path(guard)));
            if (a == null) {
                continue;
            }
            if (System.currentTimeMillis() / 1000 - a.getMtime() < GUARD_STALE_SECONDS) {
                return false;
            }
            delete(guard, false);
        }
        return false;
    }

    @Override
    public void delete(String key) throws IOException {
        delete(key, true);
    }

    private void delete(String key, boolean prune) throws IOException {
        try {
            session.call(sftp -> {
                try {
                    sftp.rm(path(key));
                } catch (SFTPException e) {
                    if (e.getStatusCode() != Response.StatusCode.NO_SUCH_FILE) {
                        throw e;
                    }
                }
                if (prune) {
                    pruneEmptyParents(sftp, key);
                }
                return null;
            });
        } catch (IOException e) {
            throw translate("deleting", key, true, e);
        }
    }

    /** Removes the directories of {@code key} below the root that are now empty. */
    private void pruneEmptyParents(SFTPClient sftp, String key) {
        for (int slash = key.lastIndexOf('/'); slash > 0; slash = key.lastIndexOf('/', slash - 1)) {
            try {
                sftp.rmdir(path(key.substring(0, slash)));
            } catch (IOException notEmpty) {
                return;
            }
        }
    }

    @Override
    public List<String> listKeys(String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            int slash = prefix.lastIndexOf('/');
            String dirKey = slash < 0 ? "" : prefix.substring(0, slash);
            String namePrefix = prefix.substring(slash + 1);
            session.call(sftp -> {
                keys.clear();
                walk(sftp, dirKey, namePrefix, keys, false);
                return null;
            });
            keys.sort(null);
            return keys;
        } catch (IOException e) {
            throw translate("listing", prefix, false, e);
        }
    }

    /** Collects the files below {@code dirKey} whose first name level starts with {@code namePrefix}. */
    private boolean walk(SFTPClient sftp, String dirKey, String namePrefix, List<String> into, boolean firstOnly)
            throws IOException {
        List<RemoteResourceInfo> entries;
        try {
            entries = sftp.ls(path(dirKey));
        } catch (SFTPException e) {
            if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                if (dirKey.isEmpty()) {
                    throw missingRoot();
                }
                return false;
            }
            throw e;
        }
        for (RemoteResourceInfo entry : entries) {
            String name = entry.getName();
            if (name.equals(".") || name.equals("..") || !name.startsWith(namePrefix)) {
                continue;
            }
            String key = dirKey.isEmpty() ? name : dirKey + "/" + name;
            if (entry.isDirectory()) {
                if (walk(sftp, key, "", into, firstOnly) && firstOnly) {
                    return true;
                }
            } else {
                into.add(key);
                if (firstOnly) {
                    return true;
                }
            }
        }
        return !into.isEmpty();
    }

    @Override
    public List<String> listChildren(String prefix) throws IOException {
        try {
            String dirKey = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            return session.call(sftp -> {
                List<String> names = new ArrayList<>();
                try {
                    for (RemoteResourceInfo entry : sftp.ls(path(dirKey))) {
                        if (entry.isDirectory() && !entry.getName().equals(".") && !entry.getName().equals("..")) {
                            names.add(entry.getName());
                        }
                    }
                } catch (SFTPException e) {
                    if (e.getStatusCode() != Response.StatusCode.NO_SUCH_FILE) {
                        throw e;
                    }
                    if (dirKey.isEmpty()) {
                        throw missingRoot();
                    }
                }
                names.sort(null);
                return names;
            });
        } catch (IOException e) {
            throw translate("listing", prefix, false, e);
        }
    }

    @Override
    public boolean anyUnder(String prefix) throws IOException {
        try {
            int slash = prefix.lastIndexOf('/');
            String dirKey = slash < 0 ? "" : prefix.substring(0, slash);
            String namePrefix = prefix.substring(slash + 1);
            return session.call(sftp -> walk(sftp, dirKey, namePrefix, new ArrayList<>(), true));
        } catch (IOException e) {
            throw translate("listing", prefix, false, e);
        }
    }

    @Override
    public ArtifactOutput openUpload(String key) {
        return new PartUploadOutput(describe(key), new PartialFileSink(key), transfer);
    }

    @Override
    public void probe() throws StoreException {
        try {
            requireRoot();
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.READ_FAILED, translate("opening", "", false, e).getMessage(),
                    e);
        }
    }

    private void requireRoot() throws IOException {
        if (rootChecked) {
            return;
        }
        FileAttributes a = session.call(sftp -> sftp.statExistence(path("")));
        if (a == null) {
            throw missingRoot();
        }
        if (a.getType() != FileMode.Type.DIRECTORY) {
            throw new StoreException(StoreException.Reason.NOT_A_DIRECTORY, "artifact path " + root
                    + " is not a directory");
        }
        rootChecked = true;
    }

    private StoreException missingRoot() {
        return new StoreException(StoreException.Reason.NOT_FOUND, "stat " + root + ": no such file or directory");
    }

    /** Creates the directories of {@code key} below the root (the root itself must exist, as bbr requires). */
    private void mkdirsFor(String key) throws IOException {
        requireRoot();
        int slash = key.lastIndexOf('/');
        if (slash <= 0) {
            return;
        }
        String dirKey = key.substring(0, slash);
        session.call(sftp -> {
            FileAttributes a = sftp.statExistence(path(dirKey));
            if (a != null) {
                return null;
            }
            StringBuilder partial = new StringBuilder();
            for (String segment : dirKey.split("/")) {
                partial.append(partial.length() == 0 ? "" : "/").append(segment);
                String p = path(partial.toString());
                if (sftp.statExistence(p) == null) {
                    try {
                        sftp.mkdir(p);
                    } catch (SFTPException e) {
                        if (sftp.statExistence(p) == null) {
                            throw e; // not a racing run's mkdir
                        }
                    }
                }
            }
            return null;
        });
    }

    private IOException translate(String what, String key, boolean write, IOException e) {
        if (e instanceof StoreException) {
            return e;
        }
        StoreException.Reason reason = write ? StoreException.Reason.WRITE_FAILED : StoreException.Reason.READ_FAILED;
        // first: a request that died with its connection (sshj wakes it with an SFTPException) is transient
        if (SftpSession.isConnectionFailure(e)) {
            String m = SftpSession.oneLine(e);
            return new IOException(m.startsWith(root.toString()) ? m : describe(key) + ": " + what + " failed: " + m, e);
        }
        if (e instanceof SFTPException s) {
            if (s.getStatusCode() == Response.StatusCode.PERMISSION_DENIED) {
                return new StoreException(reason, describe(key) + ": permission denied while " + what + " it: check"
                        + " the directory's owner and mode for " + root.user());
            }
            if (s.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                return new StoreException(StoreException.Reason.NOT_FOUND, "stat " + describe(key)
                        + ": no such file or directory");
            }
            return new StoreException(reason, describe(key) + ": " + what + " failed: " + SftpSession.oneLine(s), e);
        }
        return new IOException(describe(key) + ": " + what + " failed: " + SftpSession.oneLine(e), e);
    }

    /**
     * Writes pipelined: up to {@value #MAX_UNCONFIRMED_WRITES} WRITE requests in flight. sshj sends each
     * {@code write} call as ONE request, and OpenSSH refuses requests over 256 KiB (it then stops reading
     * the channel, and the client times out "expanding the window"), so the data goes in chunks that fit
     * one channel packet.
     */
    private static void writeAt(RemoteFile f, long offset, byte[] data, int length) throws IOException {
        int chunk = WRITE_CHUNK;
        OutputStream out = f.new RemoteFileOutputStream(offset, MAX_UNCONFIRMED_WRITES);
        for (int done = 0; done < length; done += chunk) {
            out.write(data, done, Math.min(chunk, length - done));
        }
        out.flush(); // waits for the server's acknowledgements
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One artifact written to {@code <name>.partial} at each part's offset (parts in parallel on one
     * handle), renamed to {@code <name>} on commit; SFTP's rename refuses an existing target, so a
     * finished artifact is never overwritten. After a broken connection the handle is reopened on the
     * new one (without truncating) and the part written again at its offset.
     */
    private final class PartialFileSink implements PartSink {
        private final String key;
        private final String partialKey;
        private final Object writeLock = new Object();
        private RemoteFile handle;
        private int handleGeneration = -1;

        PartialFileSink(String key) {
            this.key = key;
            this.partialKey = key + ".partial";
        }

        private synchronized RemoteFile handle(boolean truncate) throws IOException {
            SftpSession.Handle h = session.current();
            if (handle == null || handleGeneration != h.generation() || truncate) {
                closeHandle();
                handle = h.sftp().open(path(partialKey), truncate ? CREATE_TRUNCATE : REOPEN);
                handleGeneration = h.generation();
            }
            return handle;
        }

        private synchronized void closeHandle() {
            if (handle != null) {
                try {
                    handle.close();
                } catch (IOException | RuntimeException ignored) {
                    // a dead connection's handle
                }
                handle = null;
            }
        }

        @Override
        public void start() throws IOException {
            try {
                mkdirsFor(key);
                handle(true);
            } catch (IOException e) {
                onFailure();
                throw translate("starting the upload of", key, true, e);
            }
        }

        @Override
        public void uploadPart(int number, long offset, byte[] data, int length) throws IOException {
            try {
                // one part at a time on the channel: each part is already pipelined (many unacknowledged
                // writes), and concurrent pipelines on one sshj channel stall on its window; the other parts
                // in flight wait in memory, so the writer still runs ahead by partsInFlight parts
                synchronized (writeLock) {
                    writeAt(handle(false), offset, data, length);
                }
            } catch (IOException e) {
                onFailure();
                throw translate("writing part " + number + " of", partialKey, true, e);
            }
        }

        private void onFailure() {
            int generation;
            synchronized (this) {
                generation = handleGeneration;
            }
            session.reset(generation);
        }

        @Override
        public void complete(int parts, long totalBytes) throws IOException {
            try {
                synchronized (this) {
                    if (handle != null) {
                        handle.close(); // the server has every byte before the rename
                        handle = null;
                    }
                }
                session.call(sftp -> {
                    FileAttributes partial = sftp.statExistence(path(partialKey));
                    if (partial == null) {
                        FileAttributes done = sftp.statExistence(path(key));
                        if (done != null && done.getSize() == totalBytes) {
                            return null; // a retry after the rename went through
                        }
                        throw new StoreException(StoreException.Reason.WRITE_FAILED, describe(partialKey)
                                + " disappeared before the commit");
                    }
                    if (partial.getSize() != totalBytes) {
                        throw new StoreException(StoreException.Reason.WRITE_FAILED, describe(partialKey) + " has "
                                + partial.getSize() + " bytes, expected " + totalBytes);
                    }
                    sftp.rename(path(partialKey), path(key));
                    return null;
                });
            } catch (IOException e) {
                if (!(e instanceof StoreException)) {
                    onFailure();
                }
                throw translate("committing", key, true, e);
            }
        }

        @Override
        public void putWhole(byte[] data, int length) throws IOException {
            start();
            uploadPart(1, 0, data, length);
            complete(1, length);
        }

        @Override
        public void abort() throws IOException {
            closeHandle();
            delete(partialKey);
        }
    }
}
