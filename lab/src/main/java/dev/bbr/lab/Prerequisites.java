package dev.bbr.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the lab needs from the machine; {@link #missing()} explains what is absent. */
public final class Prerequisites {
    private static final List<String> TOOLS = List.of("/usr/sbin/sshd", "unshare", "nsenter", "mount", "useradd",
            "usermod", "userdel", "groupadd", "ssh-keygen", "sudo", "hostname", "tar");

    private Prerequisites() {
    }

    /** Empty when the lab can run here. */
    public static List<String> missing() {
        List<String> out = new ArrayList<>();
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            out.add("Linux (this is " + System.getProperty("os.name") + ")");
            return out;
        }
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                out.add("root (running as uid " + uid + ")");
            }
        } catch (Exception e) {
            out.add("root (cannot determine uid: " + e.getMessage() + ")");
        }
        for (String t : TOOLS) {
            if (!onPath(t)) {
                out.add(t);
            }
        }
        return out;
    }

    public static void check() {
        List<String> m = missing();
        if (!m.isEmpty()) {
            throw new LabException("the bbr lab needs Linux, root and OpenSSH server/util-linux tools; missing: " + String.join(", ", m));
        }
    }

    private static boolean onPath(String tool) {
        if (tool.startsWith("/")) {
            return Files.isExecutable(Path.of(tool));
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
