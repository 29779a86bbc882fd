package dev.bbr.lab.director;

import java.util.regex.Pattern;

/**
 * What the simulated BOSH agents do for the `ssh` task. Implemented by the lab on real OpenSSH
 * instances; the simulator only does the bookkeeping around it.
 */
public interface AgentBackend {
    /** Content of the instance's /etc/ssh/ssh_host_rsa_key.pub equivalent, with trailing newline. */
    String hostPublicKey(DirectorInstance instance);

    /** Create/refresh the OS user and authorise the key on this instance only. */
    void setupSsh(DirectorInstance instance, String user, String publicKey);

    /** Remove keys of bosh_ users matching the regex from this instance; drop OS users no instance uses any more. */
    void cleanupSsh(DirectorInstance instance, Pattern userRegex);
}
