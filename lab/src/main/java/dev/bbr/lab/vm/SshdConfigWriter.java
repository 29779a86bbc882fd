package dev.bbr.lab.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a VM's sshd_config next to its host key. */
public final class SshdConfigWriter {
    private SshdConfigWriter() {
    }

    public static Path write(Path vmDir, String ip, Path banner) throws IOException {
        Path config = vmDir.resolve("sshd_config");
        Files.writeString(config, SshdConfig.render(ip, vmDir.resolve("ssh_host_rsa_key"), vmDir.resolve("sshd.pid"), banner));
        return config;
    }
}
