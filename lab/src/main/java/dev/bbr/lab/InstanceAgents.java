package dev.bbr.lab;

import dev.bbr.lab.director.AgentBackend;
import dev.bbr.lab.director.DirectorInstance;
import dev.bbr.lab.vm.OsUsers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The BOSH agent's `ssh` action on lab VMs (setup and cleanup, lab/README.md): OS user with passwordless
 * sudo, key in /var/vcap/bosh_ssh/&lt;user&gt;/.ssh/authorized_keys of the targeted VM only.
 */
final class InstanceAgents implements AgentBackend {
    private final Map<String, LabInstance> byName;
    private final Collection<LabInstance> all;

    InstanceAgents(Map<String, LabInstance> byName, Collection<LabInstance> all) {
        this.byName = byName;
        this.all = all;
    }

    private LabInstance vm(DirectorInstance i) {
        LabInstance vm = byName.get(i.name());
        if (vm == null) {
            throw new LabException("no VM for " + i.name());
        }
        return vm;
    }

    @Override
    public String hostPublicKey(DirectorInstance i) {
        return vm(i).hostPublicKey();
    }

    @Override
    public synchronized void setupSsh(DirectorInstance i, String user, String publicKey) {
        OsUsers.ensureUser(user);
        authorize(vm(i), user, publicKey);
    }

    /** Puts the key into the VM's /var/vcap/bosh_ssh/&lt;user&gt;/.ssh/authorized_keys (user must exist). */
    static void authorize(LabInstance vm, String user, String publicKey) {
        Path home = vm.varVcap().resolve("bosh_ssh").resolve(user);
        Path sshDir = home.resolve(".ssh");
        Path keys = sshDir.resolve("authorized_keys");
        try {
            Files.createDirectories(sshDir);
            String existing = Files.exists(keys) ? Files.readString(keys) : "";
            if (!existing.lines().toList().contains(publicKey)) {
                Files.writeString(keys, existing + publicKey + "\n", StandardCharsets.UTF_8);
            }
            UserPrincipal owner = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
            for (Path p : List.of(home, sshDir, keys)) {
                Files.setOwner(p, owner);
            }
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(sshDir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new LabException("cannot install key for " + user + " on " + vm, e);
        }
    }

    @Override
    public synchronized void cleanupSsh(DirectorInstance i, Pattern userRegex) {
        LabInstance vm = vm(i);
        Path base = vm.varVcap().resolve("bosh_ssh");
        // like the agent: only users that start with bosh_ AND match the regex (Ruby =~, i.e. find)
        for (String user : vm.sshUsers()) {
            if (user.startsWith("bosh_") && userRegex.matcher(user).find()) {
                deleteTree(base.resolve(user));
            }
        }
        for (String user : OsUsers.labUsers()) {
            if (user.startsWith("bosh_") && userRegex.matcher(user).find()
                    && all.stream().noneMatch(v -> v.hasAuthorizedKeyFor(user))) {
                OsUsers.removeUser(user);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new LabException("cannot delete " + dir, e);
        }
    }
}
