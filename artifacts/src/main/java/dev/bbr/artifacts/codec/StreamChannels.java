package dev.bbr.artifacts.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Channel views of streams for jagged, which works on channels. Unlike {@link java.nio.channels.Channels},
 * a whole 64 KiB age chunk moves in one call (not 8 KiB slices), and an interrupt does not close the
 * underlying stream behind the caller's back.
 */
final class StreamChannels {
    private StreamChannels() {
    }

    static ReadableByteChannel readable(InputStream in) {
        return new ReadableByteChannel() {
            private boolean open = true;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                ensureOpen(open);
                if (!dst.hasRemaining()) {
                    return 0;
                }
                int n;
                if (dst.hasArray()) {
                    n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                } else {
                    byte[] chunk = new byte[Math.min(dst.remaining(), 64 * 1024)];
                    n = in.read(chunk);
                    if (n > 0) {
                        dst.put(chunk, 0, n);
                    }
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                if (open) {
                    open = false;
                    in.close();
                }
            }
        };
    }

    static WritableByteChannel writable(OutputStream out) {
        return new WritableByteChannel() {
            private boolean open = true;

            @Override
            public int write(ByteBuffer src) throws IOException {
                ensureOpen(open);
                int n = src.remaining();
                if (src.hasArray()) {
                    out.write(src.array(), src.arrayOffset() + src.position(), n);
                    src.position(src.limit());
                } else {
                    byte[] chunk = new byte[n];
                    src.get(chunk);
                    out.write(chunk);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                if (open) {
                    open = false;
                    out.close();
                }
            }
        };
    }

    private static void ensureOpen(boolean open) throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
