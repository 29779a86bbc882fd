package dev.bbr.artifacts.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where one artifact's tar bytes go. {@link #close()} commits: only then does the artifact appear under
 * its final name. {@link #abort()} discards what was written (a failed drain must not leave a file that
 * looks like a finished artifact); closing after an abort does nothing.
 */
public abstract class ArtifactOutput extends OutputStream {

    /** Discards the partial artifact. Idempotent; safe to call after a failed write. */
    public abstract void abort() throws IOException;

    /** Bytes accepted so far. */
    public abstract long bytesWritten();
}
