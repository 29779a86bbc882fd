package dev.bbr.lab;

import dev.bbr.lab.vm.Namespace;
import dev.bbr.lab.vm.OsUsers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * What the lab leaves on disk so that anything it started can be removed later, even after a
 * crash: the state dir (with a marker file, namespace inodes, the owner pid) and a host-wide
 * pointer /run/bbr-lab/current naming the active lab's state dir and owner JVM.
 */
final class LabState {
    static final Path CURRENT = Path.of("/run/bbr-lab/current");
    static final String MARKER = ".bbr-lab-state";
    static final String NAMESPACES = "namespaces";
    static final String PIDS = "pids";

    private LabState() {
    }

    record Current(long ownerPid, Path stateDir) {
        boolean ownerAlive() {
            return ownerPid != ProcessHandle.current().pid() && ProcessHandle.of(ownerPid)
                    .flatMap(ph -> ph.info().command()).map(c -> c.contains("java")).orElse(false);
        }
    }

    static Optional<Current> current() {
        try {
            List<String> lines = Files.readAllLines(CURRENT);
            return Optional.of(new Current(Long.parseLong(lines.get(0).strip()), Path.of(lines.get(1).strip())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static void claim(Path stateDir) throws IOException {
        Files.createDirectories(CURRENT.getParent());
        Files.writeString(CURRENT, ProcessHandle.current().pid() + "\n" + stateDir + "\n");
    }

    /** Hands the lab over to another process (LabMain records the background JVM). */
    static void release() {
        try {
            Files.deleteIfExists(CURRENT);
        } catch (IOException e) {
            // nothing we can do; the next start treats it as stale
        }
    }

    static void prepareDir(Path stateDir) throws IOException {
        if (Files.isDirectory(stateDir) && !Files.exists(stateDir.resolve(MARKER))) {
            try (var s = Files.list(stateDir)) {
                if (s.findAny().isPresent()) {
                    throw new LabException("state dir " + stateDir + " exists, is not empty and is not a lab state dir; refusing to use it");
                }
            }
        }
        Files.createDirectories(stateDir);
        Files.writeString(stateDir.resolve(MARKER), "bbr lab state; deleted by teardown\n");
    }

    static void recordNamespace(Path stateDir, long inode, String name) {
        try {
            Files.writeString(stateDir.resolve(NAMESPACES), inode + " " + name + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new LabException("cannot record namespace in " + stateDir, e);
        }
    }

    /** Host-namespace helpers (network holder, relay): pid plus a string its command line must contain. */
    static void recordPid(Path stateDir, long pid, String marker) {
        try {
            Files.writeString(stateDir.resolve(PIDS), pid + " " + marker + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new LabException("cannot record pid in " + stateDir, e);
        }
    }

    private static void killRecordedPids(Path stateDir) {
        Path f = stateDir.resolve(PIDS);
        if (!Files.exists(f)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(f)) {
                String[] p = line.split(" ", 2);
                if (p.length < 2) {
                    continue;
                }
                long pid = Long.parseLong(p[0]);
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(Path.of("/proc", p[0], "cmdline")), StandardCharsets.UTF_8);
                } catch (IOException gone) {
                    continue;
                }
                // pid reuse guard: only a process that still carries our marker is ours
                if (cmd.contains(p[1])) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new LabException("cannot read " + f, e);
        }
    }

    /**
     * Removes everything a (possibly crashed) lab left: processes in its namespaces, lab users,
     * sudoers file, the state dir itself. Idempotent.
     */
    static void cleanStale(Path stateDir) {
        if (stateDir != null && Files.exists(stateDir.resolve(NAMESPACES))) {
            try {
                for (String line : Files.readAllLines(stateDir.resolve(NAMESPACES))) {
                    String[] f = line.split(" ", 2);
                    if (!f[0].isBlank()) {
                        Namespace.killNamespace(Long.parseLong(f[0]), stateDir.toString());
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new LabException("cannot read " + stateDir.resolve(NAMESPACES), e);
            }
        }
        if (stateDir != null) {
            killRecordedPids(stateDir);
            if (Files.exists(stateDir.resolve("topology-private"))) {
                PrivateNetwork.removeHostLeftovers();
            }
        }
        // lab users, the sudoers file and the sudo group are host-wide: never pull them from under a lab
        // that another live JVM owns (`scripts/lab up` runs `down` on its own state dir first)
        if (current().map(c -> !c.ownerAlive()).orElse(true)) {
            OsUsers.removeAll();
        }
        if (stateDir != null) {
            deleteStateDir(stateDir);
        }
    }

    static void deleteStateDir(Path stateDir) {
        if (!Files.exists(stateDir.resolve(MARKER))) {
            return;
        }
        try {
            Files.walkFileTree(stateDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    // the marker goes last so a half-deleted dir is still recognised as ours
                    if (!file.equals(stateDir.resolve(MARKER))) {
                        Files.delete(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (dir.equals(stateDir)) {
                        Files.delete(stateDir.resolve(MARKER));
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new LabException("cannot delete state dir " + stateDir + ": " + e.getMessage(), e);
        }
    }
}
