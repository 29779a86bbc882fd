package dev.bbr.lab.vm;

import dev.bbr.lab.Cmd;
import dev.bbr.lab.LabException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Host OS users and sudo for the lab. All instances share the host's /etc/passwd (only the mount
 * and UTS namespaces are separate), so a user exists "everywhere" but can only log in where its
 * key is under that instance's /var/vcap. Every user the lab creates carries the GECOS marker
 * {@value #MARKER}, which is how teardown finds them even after a crash.
 */
public final class OsUsers {
    public static final String MARKER = "bbr-lab";
    /** Group whose members get passwordless sudo (like bosh_sudoers on a stemcell). */
    public static final String SUDO_GROUP = "bbr-lab-sudo";
    public static final Path SUDOERS = Path.of("/etc/sudoers.d/bbr-lab");

    private OsUsers() {
    }

    public static synchronized void installSudo() {
        if (Cmd.run("getent", "group", SUDO_GROUP).exitCode() != 0) {
            Cmd.run("groupadd", SUDO_GROUP).orThrow("groupadd " + SUDO_GROUP);
        }
        try {
            Path tmp = Files.createTempFile(SUDOERS.getParent(), ".bbr-lab", ".tmp");
            Files.writeString(tmp, "# written by the bbr lab; removed by `scripts/lab down`\n"
                    + "%" + SUDO_GROUP + " ALL=(ALL:ALL) NOPASSWD: ALL\n");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r-----"));
            // sudo ignores files with a dot in the name, so the temp file is harmless until the move
            Files.move(tmp, SUDOERS, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write " + SUDOERS, e);
        }
    }

    /** Creates the user (home under /var/vcap/bosh_ssh, which is per instance) unless it exists. */
    public static synchronized void ensureUser(String user) {
        if (Cmd.run("id", "-u", user).exitCode() == 0) {
            if (!labUsers().contains(user)) {
                throw new LabException("refusing to touch pre-existing non-lab user " + user);
            }
            return;
        }
        // '*' instead of the default '!' so that sshd (UsePAM no) does not treat the account as locked
        Cmd.run("useradd", "-M", "-d", "/var/vcap/bosh_ssh/" + user, "-s", "/bin/bash", "-c", MARKER,
                "-G", SUDO_GROUP, "-p", "*", user).orThrow("useradd " + user);
        Cmd.run("usermod", "-p", "*", user).orThrow("usermod " + user);
    }

    public static synchronized void removeUser(String user) {
        if (labUsers().contains(user)) {
            Cmd.run("userdel", "-f", user);
        }
    }

    /** Users in /etc/passwd created by a lab (current or crashed). */
    public static List<String> labUsers() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":", -1);
                if (f.length >= 5 && f[4].equals(MARKER)) {
                    out.add(f[0]);
                }
            }
        } catch (IOException e) {
            throw new LabException("cannot read /etc/passwd", e);
        }
        return out;
    }

    /** Removes every lab user, the sudoers file and the sudo group. */
    public static synchronized void removeAll() {
        for (String u : labUsers()) {
            Cmd.run("userdel", "-f", u);
        }
        try {
            Files.deleteIfExists(SUDOERS);
        } catch (IOException e) {
            throw new LabException("cannot remove " + SUDOERS, e);
        }
        if (Cmd.run("getent", "group", SUDO_GROUP).exitCode() == 0) {
            Cmd.run("groupdel", SUDO_GROUP);
        }
    }

    public static int uid(String user) {
        return Integer.parseInt(Cmd.run("id", "-u", user).orThrow("id " + user).stdout().strip());
    }

    public static int gid(String user) {
        return Integer.parseInt(Cmd.run("id", "-g", user).orThrow("id " + user).stdout().strip());
    }
}
