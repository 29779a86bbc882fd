package dev.bbr.cli.e2e;

import dev.bbr.lab.Cmd;
import java.nio.file.Path;

/**
 * A tiny tmpfs mounted on the jumpbox side (where bbr writes its backups), too small for a backup
 * or filled up mid-run. Unmounted (lazily, so a file still open cannot keep it) on close.
 */
final class SmallDisk implements AutoCloseable {
    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    static SmallDisk mount(Path dir, int kib) {
        Cmd.run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "bbr-reliability", dir.toString())
                .orThrow("mount a " + kib + " KiB tmpfs on " + dir);
        return new SmallDisk(dir);
    }

    /** Another process takes every free byte (dd stops at ENOSPC, which is the point). */
    void fill() {
        Cmd.run("sh", "-c", "dd if=/dev/zero of='" + dir.resolve(".filler") + "' bs=64k 2>/dev/null; true")
                .orThrow("fill " + dir);
    }

    @Override
    public void close() {
        Cmd.run("umount", "-l", dir.toString()).orThrow("unmount " + dir);
    }
}
