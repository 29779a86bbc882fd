package dev.bbr.artifacts.destination;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an artifact to {@code .<name>.partial} and renames it to {@code <name>} on close, after an
 * fsync. A crash or {@link #abort()} therefore never leaves a truncated file under the real name.
 */
final class LocalArtifactOutput extends ArtifactOutput {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path partial;
    private final Path target;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private long written;
    private boolean finished;

    private LocalArtifactOutput(Path partial, Path target, FileChannel channel) {
        this.partial = partial;
        this.target = target;
        this.channel = channel;
    }

    static LocalArtifactOutput create(Path directory, String fileName) throws IOException {
        Path target = directory.resolve(fileName);
        if (Files.exists(target)) {
            throw new ArtifactStoreException("artifact " + target + " already exists");
        }
        Path partial = directory.resolve("." + fileName + ".partial");
        return new LocalArtifactOutput(partial, target, DurableFiles.createPrivate(partial));
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (!buffer.hasRemaining()) {
            flushBuffer();
        }
        buffer.put((byte) b);
        written++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        if (length >= BUFFER_SIZE) {
            // Large chunks bypass the buffer: one copy less on the drain's hot path.
            flushBuffer();
            writeFully(ByteBuffer.wrap(bytes, offset, length));
        } else {
            if (length > buffer.remaining()) {
                flushBuffer();
            }
            buffer.put(bytes, offset, length);
        }
        written += length;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        flushBuffer();
    }

    /** Commits: flush, fsync, rename to the final name, fsync the directory. */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            flushBuffer();
            channel.force(true);
            channel.close();
            DurableFiles.moveAtomically(partial, target, false);
        } catch (IOException | RuntimeException e) {
            discard();
            throw e;
        }
    }

    @Override
    public void abort() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        discard();
    }

    @Override
    public long bytesWritten() {
        return written;
    }

    @Override
    public String fileName() {
        return target.getFileName().toString();
    }

    private void discard() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer source) throws IOException {
        while (source.hasRemaining()) {
            channel.write(source);
        }
    }

    private void ensureOpen() throws IOException {
        if (finished) {
            throw new IOException("artifact " + target.getFileName() + " is already closed");
        }
    }
}
