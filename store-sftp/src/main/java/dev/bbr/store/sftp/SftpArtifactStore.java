package dev.bbr.store.sftp;

import dev.bbr.artifacts.store.Layout;
import dev.bbr.store.remote.RemoteArtifactStore;
import java.time.Clock;

/** Backups in a directory on an SFTP server ({@code sftp://USER@HOST[:PORT]/PATH}). */
public final class SftpArtifactStore extends RemoteArtifactStore {
    SftpArtifactStore(SftpBackend backend, Layout layout, Clock clock) {
        super(backend, layout, clock, backend.transfer());
    }
}
