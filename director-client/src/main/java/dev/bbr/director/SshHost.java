package dev.bbr.director;

/**
 * One element of the ssh setup task result: a temporary user now exists on this instance.
 *
 * @param status {@code success} or the agent's failure status
 * @param ip address to SSH to (port 22)
 * @param hostPublicKey content of the instance's {@code ssh_host_rsa_key.pub}, pin this key
 * @param id instance UUID
 * @param index instance index, nullable
 * @param job instance-group name
 */
public record SshHost(String status, String ip, String hostPublicKey, String id, Integer index,
        String job) {}
