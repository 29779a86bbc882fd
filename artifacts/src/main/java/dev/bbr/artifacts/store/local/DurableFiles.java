package dev.bbr.artifacts.store.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The crash-safety primitives: create private files, fsync them, rename atomically and fsync the
 * directory so the rename itself survives a power loss.
 */
final class DurableFiles {
    static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

    private DurableFiles() {
    }

    static FileChannel createPrivate(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                permissions(file, OWNER_RW));
        setPermissions(file, OWNER_RW); // the attribute above is filtered by the umask; make it exact
        return channel;
    }

    /** Writes {@code content} to a temp file, fsyncs, renames over {@code target}, fsyncs the directory. */
    static void replaceAtomically(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().getId());
        try (FileChannel channel = createPrivate(temp)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        moveAtomically(temp, target, true);
    }

    static void moveAtomically(Path from, Path to, boolean replace) throws IOException {
        if (!replace && Files.exists(to)) {
            Files.deleteIfExists(from);
            throw new FileAlreadyExistsException(to.toString());
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(to.getParent());
    }

    /** Makes a create/rename/delete in {@code dir} durable. Best effort where the OS cannot fsync directories. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Not supported on every platform/filesystem; the data files themselves are already synced.
        }
    }

    static void deleteDurably(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            syncDirectory(file.getParent());
        }
    }

    static FileAttribute<?>[] permissions(Path where, Set<PosixFilePermission> permissions) {
        return isPosix(where) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (isPosix(path)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
